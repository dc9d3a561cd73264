package kubelab.scheduler.framework;

/**
 * QueueSort: orders activeQ. Exactly one per profile (PrioritySort: higher priority first, then
 * the earlier-queued pod). Called with the queue lock held.
 */
public interface QueueSortPlugin extends Plugin {
  /** Whether {@code a} should be scheduled before {@code b}. */
  boolean less(QueuedPodInfo a, QueuedPodInfo b);
}
