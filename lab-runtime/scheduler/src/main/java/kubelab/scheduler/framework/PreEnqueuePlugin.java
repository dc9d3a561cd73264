package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * PreEnqueue: decides whether a pod may enter activeQ at all (e.g. SchedulingGates). A non-success
 * status parks the pod in the unschedulable set until an event changes the answer.
 * Called with the queue lock held: must be fast and must not block.
 */
public interface PreEnqueuePlugin extends Plugin {
  Status preEnqueue(Pod pod);
}
