package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.resource.Quantity;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.FieldPath;
import kubelab.api.validation.PodValidation;
import kubelab.apiserver.Params;

/**
 * Pods (Kubernetes 1.32's podStrategy): a new pod starts Pending with its QoS class computed; its
 * spec is validated and then mostly immutable; deleting a pod that runs on a node is graceful
 * (terminationGracePeriodSeconds, default 30) because the kubelet must stop its containers, while
 * an unscheduled or finished pod is deleted at once.
 */
final class PodStrategy implements Strategy {
  @Override
  public void prepareForCreate(ObjectNode pod) {
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", qosClass(pod.path("spec")));
  }

  @Override
  public List<FieldError> validate(ObjectNode pod) {
    return PodValidation.spec(pod.path("spec"), FieldPath.of("spec"));
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode pod, ObjectNode old) {
    List<FieldError> errs = new java.util.ArrayList<>(validate(pod));
    errs.addAll(PodValidation.update(pod.path("spec"), old.path("spec")));
    return errs;
  }

  @Override
  public long gracePeriodSeconds(ObjectNode pod, Long requested) {
    long period = requested != null ? requested
        : pod.path("spec").path("terminationGracePeriodSeconds").asLong(Params.DEFAULT_TERMINATION_GRACE_SECONDS);
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) period = 0;
    String phase = pod.path("status").path("phase").asText("");
    if (phase.equals("Failed") || phase.equals("Succeeded")) period = 0;
    return period < 0 ? 1 : period;
  }

  /** Guaranteed, Burstable or BestEffort (pkg/apis/core/helper/qos, Kubernetes 1.32). */
  static String qosClass(JsonNode spec) {
    Map<String, BigDecimal> requests = new HashMap<>();
    Map<String, BigDecimal> limits = new HashMap<>();
    boolean guaranteed = true;
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : spec.path(list)) {
        add(requests, c.path("resources").path("requests"), null);
        java.util.Set<String> found = new java.util.HashSet<>();
        add(limits, c.path("resources").path("limits"), found);
        if (!found.contains("cpu") || !found.contains("memory")) guaranteed = false;
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) return "BestEffort";
    if (guaranteed) {
      for (var e : requests.entrySet()) {
        BigDecimal l = limits.get(e.getKey());
        if (l == null || l.compareTo(e.getValue()) != 0) {
          guaranteed = false;
          break;
        }
      }
    }
    return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
  }

  private static void add(Map<String, BigDecimal> sum, JsonNode resources, java.util.Set<String> found) {
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().equals("cpu") && !e.getKey().equals("memory")) continue;
      BigDecimal v;
      try {
        v = Quantity.parse(e.getValue().asText()).amount();
      } catch (IllegalArgumentException ex) {
        continue;
      }
      if (v.signum() <= 0) continue;
      if (found != null) found.add(e.getKey());
      sum.merge(e.getKey(), v, BigDecimal::add);
    }
  }
}
