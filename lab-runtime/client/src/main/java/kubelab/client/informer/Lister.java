package kubelab.client.informer;

import java.util.ArrayList;
import java.util.List;
import kubelab.api.meta.KubeObject;
import kubelab.client.Selector;

/**
 * Reads from an informer's cache, not from the API server (client-go's generated listers):
 * {@code podLister.list("default", Selector.parse("app=web"))}, {@code nodeLister.get("node-1")}.
 *
 * <p>Answers are as fresh as the informer (it may lag the server by the watch latency).
 * <b>Returned objects are the cache's shared objects: never mutate them</b>; the lists are new
 * and belong to the caller. Thread-safe; never blocks on the network.
 */
public final class Lister<T extends KubeObject> {
  private final Indexer<T> indexer;

  public Lister(Indexer<T> indexer) {
    this.indexer = indexer;
  }

  /** All cached objects. */
  public List<T> list() {
    return indexer.list();
  }

  /** Cached objects (in all namespaces) whose labels match. */
  public List<T> list(Selector selector) {
    List<T> out = new ArrayList<>();
    for (T o : indexer.list()) if (selector.matches(o.metadata.labels)) out.add(o);
    return out;
  }

  /** Cached objects in {@code namespace} whose labels match (uses the namespace index). */
  public List<T> list(String namespace, Selector selector) {
    List<T> out = new ArrayList<>();
    for (T o : indexer.byIndex(IndexFunc.NAMESPACE, namespace)) {
      if (selector.matches(o.metadata.labels)) out.add(o);
    }
    return out;
  }

  /** A namespaced object, or null. */
  public T get(String namespace, String name) {
    return indexer.get(Indexer.key(namespace, name));
  }

  /** A cluster-scoped object, or null. */
  public T get(String name) {
    return indexer.get(name);
  }
}
