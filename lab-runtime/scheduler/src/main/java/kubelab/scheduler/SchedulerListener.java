package kubelab.scheduler;

import kubelab.scheduler.framework.PodInfo;

/**
 * Observes the scheduler's outcomes (the benchmark measures throughput and latency with it; a
 * REPL can trace). Called on the scheduling or binding threads: implementations must be fast and
 * thread-safe.
 */
public interface SchedulerListener {
  /**
   * A pod was bound.
   *
   * @param attemptNanos the scheduling attempt: from popping the pod to the end of its
   *     scheduling cycle (kube-scheduler's scheduling_attempt_duration)
   * @param e2eNanos from the pod's first entry into the queue until the binding completed
   */
  default void bound(PodInfo pod, String node, long attemptNanos, long e2eNanos) {}

  /** An attempt failed; the pod went back to the queue. */
  default void failed(PodInfo pod, String message) {}

  SchedulerListener NONE = new SchedulerListener() {};
}
