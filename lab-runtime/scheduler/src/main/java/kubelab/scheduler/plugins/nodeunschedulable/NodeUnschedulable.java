package kubelab.scheduler.plugins.nodeunschedulable;

import java.util.List;
import kubelab.api.core.Pod;
import kubelab.api.core.Taint;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.framework.Taints;

/**
 * NodeUnschedulable: a cordoned node ({@code spec.unschedulable: true}, what {@code kubectl
 * cordon} sets) takes no new pods, unless the pod tolerates the taint
 * {@code node.kubernetes.io/unschedulable:NoSchedule} (DaemonSet pods do). Running pods stay.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  private static final Taint UNSCHEDULABLE_TAINT = new Taint(SchedulerReasons.TAINT_UNSCHEDULABLE, null, "NoSchedule");
  private static final Status REJECT = Status.unresolvable(SchedulerReasons.NODE_UNSCHEDULABLE).withPlugin(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    if (!node.unschedulable()) return Status.SUCCESS;
    if (Taints.tolerated(UNSCHEDULABLE_TAINT, state.podInfo().tolerations())) return Status.SUCCESS;
    return REJECT;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT),
        new ClusterEvent(ClusterEvent.Resource.UNSCHEDULED_POD, ClusterEvent.UPDATE_POD_TOLERATION));
  }
}
