package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * NamespaceLifecycle (Kubernetes 1.32): nothing is created in a namespace that does not exist
 * (404 {@code namespaces "dev" not found}) or is being deleted (403 {@code unable to create new
 * content in namespace dev because it is being terminated}), and the namespaces the system needs
 * (default, kube-system, kube-public) cannot be deleted.
 */
final class NamespaceLifecycle implements AdmissionPlugin {
  static final List<String> IMMORTAL = List.of("default", "kube-system", "kube-public");
  private final ObjectStore store;
  private final ResourceType namespaces = Resources.builtin().find("", "v1", "namespaces").orElseThrow();

  NamespaceLifecycle(ObjectStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "NamespaceLifecycle";
  }

  @Override
  public void validate(AdmissionRequest r) {
    if (r.operation() == AdmissionRequest.Operation.DELETE && r.is("", "namespaces") && IMMORTAL.contains(r.name())) {
      throw ApiError.forbidden(namespaces, r.name(), "this namespace may not be deleted");
    }
    if (r.operation() != AdmissionRequest.Operation.CREATE || !r.type().namespaced()) return;
    if (!r.type().persisted()) return; // reviews are not objects in the namespace
    Optional<Stored> ns = store.cachedGet(namespaces, "", r.namespace());
    if (ns.isEmpty()) ns = store.get(namespaces, "", r.namespace()); // a live lookup when the cache has none, as Kubernetes
    if (ns.isEmpty()) throw ApiError.notFound(namespaces, r.namespace());
    JsonNode meta = ns.get().object().path("metadata");
    if (meta.hasNonNull("deletionTimestamp") && !r.is("", "events")) {
      throw ApiError.forbidden(r.type(), r.name(), "unable to create new content in namespace " + r.namespace()
          + " because it is being terminated");
    }
  }
}
