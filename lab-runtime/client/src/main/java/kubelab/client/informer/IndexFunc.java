package kubelab.client.informer;

import java.util.List;
import kubelab.api.meta.KubeObject;

/**
 * Computes the index values of an object (client-go cache.IndexFunc): e.g. its namespace, its
 * {@code spec.nodeName}, the uids of its owners. An object may have several values or none.
 * Must be pure and fast (it runs under the cache's write lock) and must not modify the object.
 */
@FunctionalInterface
public interface IndexFunc<T extends KubeObject> {
  List<String> values(T obj);

  /** The index every informer has: objects by {@code metadata.namespace}. */
  String NAMESPACE = "namespace";

  static <T extends KubeObject> IndexFunc<T> byNamespace() {
    return o -> o.metadata.namespace == null ? List.of() : List.of(o.metadata.namespace);
  }
}
