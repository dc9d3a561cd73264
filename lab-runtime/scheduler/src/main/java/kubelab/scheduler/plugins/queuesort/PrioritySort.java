package kubelab.scheduler.plugins.queuesort;

import kubelab.scheduler.framework.QueueSortPlugin;
import kubelab.scheduler.framework.QueuedPodInfo;

/**
 * PrioritySort: activeQ pops the highest {@code spec.priority} first (from the pod's
 * PriorityClass), and among equal priorities the pod queued earliest.
 */
public final class PrioritySort implements QueueSortPlugin {
  public static final String NAME = "PrioritySort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    int pa = a.podInfo().priority();
    int pb = b.podInfo().priority();
    return pa > pb || (pa == pb && a.timestamp.isBefore(b.timestamp));
  }
}
