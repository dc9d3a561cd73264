package kubelab.apiserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.JettyAdapter;
import kubelab.apiserver.rest.Call;
import kubelab.apiserver.rest.PodLogs;
import kubelab.apiserver.rest.PodStreams;
import kubelab.apiserver.rest.ResourceRouter;
import kubelab.apiserver.rest.Responder;
import kubelab.apiserver.rest.RestContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * WebSocket upgrades of {@code pods/NAME/exec}, {@code attach} and {@code portforward}: the path
 * kubectl 1.30+ takes first (it falls back to SPDY only if the upgrade fails).
 *
 * <p>The upgrade is checked like any request (authentication, RBAC on {@code pods/exec} with verb
 * create or get, the pod and container), then a subprotocol is chosen from the client's offer:
 * {@code v5.channel.k8s.io} (stdin close signal on channel 255) or {@code v4.channel.k8s.io} for
 * exec and attach, {@code v2.portforward.k8s.io} / {@code portforward.k8s.io} for port-forward.
 * Each binary message is one channel byte (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize) and
 * the payload. The session is handed to the kubelet of the pod's node ({@link PodStreams}); when
 * no kubelet serves that node the upgrade is refused with a 503 Status saying so.
 */
final class StreamUpgrader {
  static final List<String> EXEC_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  static final List<String> PORTFORWARD_PROTOCOLS = List.of("v2.portforward.k8s.io", "portforward.k8s.io");

  private final ApiHandler handler;
  private final RestContext rest;
  private final ResourceRouter router;

  StreamUpgrader(ApiHandler handler, RestContext rest, ResourceRouter router) {
    this.handler = handler;
    this.rest = rest;
    this.router = router;
  }

  Handler wrap(Server server, Handler next) {
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
      container.setIdleTimeout(java.time.Duration.ofHours(4));
      container.addMapping(new RegexPathSpec("^/api/v1/namespaces/[^/]+/pods/[^/]+/(exec|attach|portforward)$"),
          this::create);
    });
    ws.setHandler(next);
    return ws;
  }

  private Object create(ServerUpgradeRequest req, ServerUpgradeResponse resp, org.eclipse.jetty.util.Callback cb) {
    ApiRequest api = JettyAdapter.toApiRequest(req, Params.MAX_REQUEST_BODY_BYTES);
    try {
      ApiHandler.Identified id = handler.identify(api);
      handler.authorize(id);
      ResourceType pods = handler.typeOf(id.info());
      String sub = id.info().subresource();
      Call c = new Call(api, null, id.info(), pods, id.user());
      PodLogs.Target target = router.logs().target(c, api.param("container"), true);
      PodStreams.Kubelet k = rest.podStreams.kubelet(target.node());
      if (k == null) throw PodLogs.noKubelet(target.node());
      List<String> offered = req.getSubProtocols();
      String proto = null;
      for (String p : sub.equals("portforward") ? PORTFORWARD_PROTOCOLS : EXEC_PROTOCOLS) {
        if (offered.contains(p)) {
          proto = p;
          break;
        }
      }
      if (proto == null) {
        throw ApiError.badRequest("none of the offered WebSocket subprotocols " + offered + " is supported; use one of "
            + (sub.equals("portforward") ? PORTFORWARD_PROTOCOLS : EXEC_PROTOCOLS));
      }
      resp.setAcceptedSubProtocol(proto);
      List<String> command = new ArrayList<>(api.params("command"));
      boolean tty = "true".equals(api.param("tty"));
      String uid = target.pod().path("metadata").path("uid").asText();
      return new ChannelEndpoint(proto, channels -> k.stream(sub, c.namespace(), c.name(), uid, target.container(),
          command, "true".equals(api.param("stdin")), !"false".equals(api.param("stdout")),
          !"false".equals(api.param("stderr")) && !tty, tty, channels));
    } catch (ApiError e) {
      resp.setStatus(e.code());
      resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      resp.write(true, ByteBuffer.wrap(Responder.bytes(e.toStatus())), cb);
      return null;
    }
  }

  /** One WebSocket stream session: channel-prefixed binary messages in both directions. */
  static final class ChannelEndpoint implements Session.Listener.AutoDemanding {
    private final String protocol;
    private final java.util.function.Consumer<PodStreams.StreamChannels> start;
    private final AtomicReference<PodStreams.Receiver> receiver = new AtomicReference<>();
    private volatile Session session;

    ChannelEndpoint(String protocol, java.util.function.Consumer<PodStreams.StreamChannels> start) {
      this.protocol = protocol;
      this.start = start;
    }

    @Override
    public void onWebSocketOpen(Session s) {
      this.session = s;
      start.accept(new PodStreams.StreamChannels() {
        @Override
        public void send(int channel, byte[] data) throws IOException {
          ByteBuffer b = ByteBuffer.allocate(data.length + 1);
          b.put((byte) channel).put(data).flip();
          Callback.Completable done = new Callback.Completable();
          s.sendBinary(b, done);
          try {
            done.get();
          } catch (Exception e) {
            throw new IOException("stream closed: " + e.getMessage(), e);
          }
        }

        @Override
        public void onReceive(PodStreams.Receiver r) {
          receiver.set(r);
        }

        @Override
        public void close() {
          s.close(1000, "", Callback.NOOP);
        }
      });
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      PodStreams.Receiver r = receiver.get();
      if (r != null && payload.remaining() > 0) {
        int channel = payload.get() & 0xff;
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        r.receive(channel, data);
      }
      callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      PodStreams.Receiver r = receiver.get();
      if (r != null) r.receive(255, new byte[0]);
    }

    String protocol() {
      return protocol;
    }

    Session session() {
      return session;
    }
  }
}
