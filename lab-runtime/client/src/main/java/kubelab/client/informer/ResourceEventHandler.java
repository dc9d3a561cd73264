package kubelab.client.informer;

import kubelab.api.meta.KubeObject;

/**
 * Callbacks of a {@link SharedIndexInformer} (client-go ResourceEventHandler). Every method has
 * an empty default, so a handler overrides what it needs.
 *
 * <p>Delivery: each registered handler has its own thread and its own unbounded buffer, so a slow
 * handler delays only itself; one handler sees the notifications of one object in order. By the
 * time a notification arrives the cache may already hold a newer state: controllers therefore
 * enqueue keys and read the cache in their worker, rather than acting on the object passed here.
 *
 * <p>Ownership: the objects passed are the cache's shared objects: <b>do not mutate them</b>.
 * An exception thrown by a handler is logged and does not stop delivery.
 */
public interface ResourceEventHandler<T extends KubeObject> {
  /**
   * An object appeared in the cache.
   *
   * @param isInInitialList true while the informer delivers its first list (and for the replay of
   *     the cache to a handler added later), false for objects created afterwards
   */
  default void onAdd(T obj, boolean isInInitialList) {}

  /**
   * An object changed, or (on resync, or a relist that found it unchanged) is re-delivered as is:
   * then {@code oldObj == newObj} or they have the same resourceVersion.
   */
  default void onUpdate(T oldObj, T newObj) {}

  /**
   * An object left the cache.
   *
   * @param finalStateUnknown true if the deletion was inferred from a relist (the watch missed
   *     it): {@code obj} is the last state the cache knew, which may be stale
   */
  default void onDelete(T obj, boolean finalStateUnknown) {}
}
