package kubelab.scheduler.plugins.nodename;

import java.util.List;
import kubelab.api.core.Pod;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.Status;

/**
 * NodeName (the old PodFitsHost): a pod naming {@code spec.nodeName} fits only that node. Pods
 * created with nodeName already set never reach the scheduler at all (the kubelet takes them);
 * this filter matters for explanations and for what-if runs.
 */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeName";
  private static final Status REJECT = Status.unresolvable(SchedulerReasons.NODE_NAME_MISMATCH).withPlugin(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    String want = pod.spec.nodeName;
    if (want == null || want.isEmpty() || want.equals(node.name())) return Status.SUCCESS;
    return REJECT;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD));
  }
}
