package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/** PostBind: informational, after a successful bind (cleanup of per-pod plugin state). */
public interface PostBindPlugin extends Plugin {
  void postBind(CycleState state, Pod pod, String nodeName);
}
