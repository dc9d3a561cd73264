package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * Priority admission (Kubernetes 1.32): a new pod's priority comes from its PriorityClass
 * ({@code priorityClassName}), or from the class marked globalDefault, or is 0; its
 * preemptionPolicy comes from the class too. A pod that names an unknown class is refused
 * ({@code no PriorityClass with name X was found}), as is one that sets priority itself to a
 * different value. At most one PriorityClass may be the global default.
 */
final class PriorityAdmission implements AdmissionPlugin {
  private final ObjectStore store;
  private final ResourceType classes = Resources.builtin().find("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();

  PriorityAdmission(ObjectStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "Priority";
  }

  @Override
  public void admit(AdmissionRequest r) {
    if (r.operation() != AdmissionRequest.Operation.CREATE || !r.is("", "pods") || !r.mainResource()) return;
    ObjectNode spec = r.object().with("spec");
    String name = spec.path("priorityClassName").asText("");
    long priority = 0;
    String preemption = "PreemptLowerPriority";
    if (name.isEmpty()) {
      for (Stored s : store.cachedList(classes, "")) {
        if (s.object().path("globalDefault").asBoolean(false)) {
          priority = s.object().path("value").asLong();
          preemption = s.object().path("preemptionPolicy").asText(preemption);
          spec.put("priorityClassName", s.object().path("metadata").path("name").asText());
          break;
        }
      }
    } else {
      Stored pc = store.cachedGet(classes, "", name).orElseThrow(() ->
          ApiError.forbidden(r.type(), r.name(), "no PriorityClass with name " + name + " was found"));
      priority = pc.object().path("value").asLong();
      preemption = pc.object().path("preemptionPolicy").asText(preemption);
    }
    JsonNode given = spec.get("priority");
    if (given != null && !given.isNull() && given.asLong() != priority) {
      throw ApiError.forbidden(r.type(), r.name(), "the integer value of priority (" + given.asLong()
          + ") must not be provided in pod spec; priority admission controller computed " + priority
          + " from the given PriorityClass name");
    }
    spec.put("priority", (int) priority);
    if (!spec.hasNonNull("preemptionPolicy")) spec.put("preemptionPolicy", preemption);
  }

  @Override
  public void validate(AdmissionRequest r) {
    if (!r.is("scheduling.k8s.io", "priorityclasses") || r.object() == null) return;
    if (!r.object().path("globalDefault").asBoolean(false)) return;
    for (Stored s : store.list(classes, "", null, 0, null, 0, false).items()) {
      String other = s.object().path("metadata").path("name").asText();
      if (s.object().path("globalDefault").asBoolean(false) && !other.equals(r.name())) {
        throw ApiError.forbidden(r.type(), r.name(), "PriorityClass " + other + " is already marked as default. "
            + "Only one default can exist");
      }
    }
  }
}
