package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.apiserver.Params;

/**
 * DefaultTolerationSeconds (Kubernetes 1.32): every new pod tolerates the NoExecute taints
 * {@code node.kubernetes.io/not-ready} and {@code node.kubernetes.io/unreachable} for 300 seconds
 * unless it says otherwise, which is why pods on a failed node are evicted about five minutes after
 * it goes NotReady.
 */
final class DefaultTolerationSeconds implements AdmissionPlugin {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  @Override
  public String name() {
    return "DefaultTolerationSeconds";
  }

  @Override
  public void admit(AdmissionRequest r) {
    if (r.operation() != AdmissionRequest.Operation.CREATE || !r.is("", "pods") || !r.mainResource()) return;
    ObjectNode spec = r.object().with("spec");
    boolean notReady = false;
    boolean unreachable = false;
    for (JsonNode t : spec.path("tolerations")) {
      String effect = t.path("effect").asText("");
      boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
      String key = t.path("key").asText("");
      if (key.isEmpty() && "Exists".equals(t.path("operator").asText()) && noExecute) {
        notReady = true;
        unreachable = true;
      }
      if (key.equals(NOT_READY) && noExecute) notReady = true;
      if (key.equals(UNREACHABLE) && noExecute) unreachable = true;
    }
    ArrayNode tols = spec.has("tolerations") && spec.get("tolerations").isArray()
        ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
    if (!notReady) add(tols, NOT_READY);
    if (!unreachable) add(tols, UNREACHABLE);
  }

  private static void add(ArrayNode tols, String key) {
    ObjectNode t = tols.addObject();
    t.put("effect", "NoExecute");
    t.put("key", key);
    t.put("operator", "Exists");
    t.put("tolerationSeconds", Params.DEFAULT_TOLERATION_SECONDS);
  }
}
