package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.validation.FieldError;

/**
 * Namespaces (Kubernetes 1.32's namespaceStrategy): a new namespace is Active, carries the
 * {@code kubernetes} finalizer in spec.finalizers and the label
 * {@code kubernetes.io/metadata.name=NAME}. Deleting one marks it Terminating; it is removed only
 * after the namespace controller has deleted its contents and emptied spec.finalizers through
 * the {@code finalize} subresource. An ordinary update cannot change spec.finalizers or status.
 */
final class NamespaceStrategy implements Strategy {
  @Override
  public void prepareForCreate(ObjectNode ns) {
    ObjectNode spec = ns.putObject("spec");
    spec.putArray("finalizers").add("kubernetes");
    ns.putObject("status").put("phase", "Active");
    nameLabel(ns);
  }

  @Override
  public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
    if (old.has("spec")) ns.set("spec", old.get("spec").deepCopy());
    nameLabel(ns);
  }

  private static void nameLabel(ObjectNode ns) {
    ObjectNode meta = (ObjectNode) ns.get("metadata");
    meta.with("labels").put("kubernetes.io/metadata.name", meta.path("name").asText());
  }

  @Override
  public boolean holdOnDelete(ObjectNode ns) {
    ns.with("status").put("phase", "Terminating");
    return heldForDeletion(ns);
  }

  @Override
  public boolean heldForDeletion(ObjectNode ns) {
    return ns.path("spec").path("finalizers").size() > 0;
  }

  /** The finalize subresource: only spec.finalizers changes. */
  static ObjectNode finalize(ObjectNode desired, ObjectNode current) {
    ObjectNode out = current.deepCopy();
    ArrayNode f = desired.path("spec").path("finalizers") instanceof ArrayNode a ? a.deepCopy() : null;
    ObjectNode spec = out.with("spec");
    if (f == null || f.isEmpty()) spec.remove("finalizers");
    else spec.set("finalizers", f);
    return out;
  }

  @Override
  public List<FieldError> validate(ObjectNode ns) {
    return List.of();
  }
}
