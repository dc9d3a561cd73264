package kubelab.scheduler.plugins.nodeports;

import java.util.List;
import kubelab.api.core.Pod;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.Status;

/**
 * NodePorts (the old PodFitsHostPorts): two pods cannot claim the same {@code hostPort} and
 * protocol on one node; a hostIP of 0.0.0.0 (the default) overlaps every address. Pods without
 * host ports skip the Filter.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodePorts";
  private static final Status REJECT = Status.unschedulable(SchedulerReasons.NODE_PORTS).withPlugin(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    return state.podInfo().hostPorts().isEmpty() ? Status.SKIP : Status.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    for (PodInfo.HostPort hp : state.podInfo().hostPorts()) {
      if (node.portConflicts(hp)) return REJECT;
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.DELETE),
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE));
  }
}
