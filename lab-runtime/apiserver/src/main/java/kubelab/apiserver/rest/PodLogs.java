package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.Stored;

/**
 * {@code pods/NAME/log} and the checks that come before a stream (exec, attach, portforward):
 * the pod exists, the container is named (or the pod has only one), the pod is on a node, and a
 * kubelet serves that node. Logs and streams come from the kubelet; without one this answers 503
 * and says so, rather than inventing output.
 */
public final class PodLogs {
  private final RestContext ctx;

  public PodLogs(RestContext ctx) {
    this.ctx = ctx;
  }

  /** The pod, its chosen container and its node, after Kubernetes' checks. */
  public record Target(ObjectNode pod, String container, String node) {}

  public Target target(Call c, String container, boolean requireHost) {
    Stored s = ctx.store.get(c.type(), c.namespace(), c.name()).orElseThrow(() -> ApiError.notFound(c.type(), c.name()));
    ObjectNode pod = s.object();
    List<String> names = new ArrayList<>();
    for (JsonNode ctr : pod.path("spec").path("containers")) names.add(ctr.path("name").asText());
    List<String> all = new ArrayList<>(names);
    for (JsonNode ctr : pod.path("spec").path("initContainers")) all.add(ctr.path("name").asText());
    for (JsonNode ctr : pod.path("spec").path("ephemeralContainers")) all.add(ctr.path("name").asText());
    if (container == null || container.isEmpty()) {
      String dflt = pod.path("metadata").path("annotations").path("kubectl.kubernetes.io/default-container").asText("");
      if (!dflt.isEmpty() && all.contains(dflt)) {
        container = dflt;
      } else if (names.size() == 1) {
        container = names.get(0);
      } else {
        throw ApiError.badRequest("a container name must be specified for pod " + c.name() + ", choose one of: "
            + "[" + String.join(" ", names) + "]"
            + (all.size() > names.size() ? " or one of the init containers: [" + String.join(" ", all.subList(names.size(), all.size())) + "]" : ""));
      }
    }
    if (!all.contains(container)) {
      throw ApiError.badRequest("container " + container + " is not valid for pod " + c.name());
    }
    String node = pod.path("spec").path("nodeName").asText("");
    if (requireHost && node.isEmpty()) {
      throw ApiError.badRequest("pod " + c.name() + " does not have a host assigned");
    }
    return new Target(pod, container, node);
  }

  /** The 503 answer when no kubelet serves the pod's node. */
  public static ApiError noKubelet(String node) {
    return ApiError.serviceUnavailable("no kubelet is running on node \"" + node + "\" yet: container logs and "
        + "streams (exec, attach, port-forward) come from the kubelet on the pod's node, and this KubeLab "
        + "control plane has none registered for it");
  }

  public void log(Call c) throws IOException {
    Target t = target(c, c.req().param("container"), false);
    if (t.node().isEmpty()) {
      // Kubernetes: a pod without a host has no log location; the answer is an empty log.
      c.resp().send(200, "text/plain", new byte[0]);
      return;
    }
    PodStreams.Kubelet k = ctx.podStreams.kubelet(t.node());
    if (k == null) throw noKubelet(t.node());
    Map<String, String> opts = new LinkedHashMap<>();
    for (String p : List.of("follow", "previous", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "limitBytes")) {
      if (c.req().param(p) != null) opts.put(p, c.req().param(p));
    }
    OutputStream out = c.resp().startStream(200, "text/plain");
    k.logs(c.namespace(), c.name(), t.pod().path("metadata").path("uid").asText(), t.container(), opts, out,
        () -> c.req().isGone());
  }

  /** exec/attach/portforward without a WebSocket upgrade: checked, then 400 as Kubernetes answers. */
  public void noUpgrade(Call c) {
    Target t = target(c, c.req().param("container"), true);
    if (ctx.podStreams.kubelet(t.node()) == null) throw noKubelet(t.node());
    throw ApiError.badRequest("Upgrade request required");
  }
}
