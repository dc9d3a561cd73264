package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/** PreBind: work that must finish before the pod is bound (VolumeBinding binds PVs to PVCs). */
public interface PreBindPlugin extends Plugin {
  Status preBind(CycleState state, Pod pod, String nodeName);
}
