package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * Reserve/Unreserve: claim node-local resources for a pod the scheduler has chosen but not yet
 * bound (VolumeBinding reserves PVs). Unreserve must undo it and is called, in reverse plugin
 * order, if any later step fails; it must be idempotent and must not fail.
 */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, Pod pod, String nodeName);

  void unreserve(CycleState state, Pod pod, String nodeName);
}
