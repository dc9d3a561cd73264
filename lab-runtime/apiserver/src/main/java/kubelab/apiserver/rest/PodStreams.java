package kubelab.apiserver.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The seam between the API server and the kubelets for what only a node can answer: container
 * logs and streams (exec, attach, port-forward). In Kubernetes the API server proxies these to
 * the kubelet on the pod's node (port 10250); in KubeLab the kubelet registers a {@link Kubelet}
 * here. Until one is registered for a node, the API server answers 503 with a message that says
 * so, and never invents container output.
 */
public interface PodStreams {
  /** The kubelet serving {@code nodeName}, or null when none runs there. */
  Kubelet kubelet(String nodeName);

  /** What a kubelet serves. Implementations are called from request threads; must be thread-safe. */
  interface Kubelet {
    /**
     * Writes a container's log to {@code out} (follow: keep writing until {@code cancelled}).
     *
     * @param options the pods/log query parameters (follow, previous, tailLines, sinceSeconds,
     *     timestamps, limitBytes)
     */
    void logs(String namespace, String pod, String uid, String container, java.util.Map<String, String> options,
        OutputStream out, BooleanSupplier cancelled) throws IOException;

    /**
     * Starts a stream session (exec, attach or portforward) over a channel-multiplexed connection
     * (the WebSocket protocols v5.channel.k8s.io / v4 / portforward.k8s.io). The kubelet owns the
     * session until it calls {@link StreamChannels#close}.
     */
    void stream(String kind, String namespace, String pod, String uid, String container, List<String> command,
        boolean stdin, boolean stdout, boolean stderr, boolean tty, StreamChannels channels);
  }

  /** The multiplexed byte channels of one stream session (channel numbers as in Kubernetes). */
  interface StreamChannels {
    /** Sends bytes on a channel (1 stdout, 2 stderr, 3 error/status JSON, 4 resize). */
    void send(int channel, byte[] data) throws IOException;

    /** Registers the receiver of client input (channel 0 stdin, 4 terminal resize, 255 close). */
    void onReceive(Receiver r);

    /** Ends the session; the client sees the WebSocket close. */
    void close();
  }

  interface Receiver {
    void receive(int channel, byte[] data);
  }

  PodStreams NONE = nodeName -> null;
}
