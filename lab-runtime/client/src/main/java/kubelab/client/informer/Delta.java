package kubelab.client.informer;

/**
 * One change to one object, as queued by the {@link DeltaFifo} (client-go cache.Delta).
 *
 * @param type what happened
 * @param object the object after the change; for {@code DELETED}, its last known state
 * @param finalStateUnknown for {@code DELETED} only: the deletion was inferred from a relist that
 *     no longer contained the object, so {@code object} is the cached copy and may be stale
 *     (client-go's {@code DeletedFinalStateUnknown})
 */
public record Delta<T>(Type type, T object, boolean finalStateUnknown) {
  public enum Type {
    /** Seen by a watch as ADDED. */
    ADDED,
    /** Seen by a watch as MODIFIED. */
    UPDATED,
    /** Seen by a watch as DELETED, or missing from a relist. */
    DELETED,
    /** Part of a (re)list: may be new, changed or unchanged. */
    REPLACED,
    /** A periodic resync re-delivering the cached object unchanged. */
    SYNC
  }

  public Delta(Type type, T object) {
    this(type, object, false);
  }
}
