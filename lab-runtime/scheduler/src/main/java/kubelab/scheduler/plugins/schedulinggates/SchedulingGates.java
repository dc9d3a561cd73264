package kubelab.scheduler.plugins.schedulinggates;

import java.util.ArrayList;
import java.util.List;
import kubelab.api.core.Pod;
import kubelab.api.core.PodSpec;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.PreEnqueuePlugin;
import kubelab.scheduler.framework.Status;

/**
 * SchedulingGates (PreEnqueue): a pod with {@code spec.schedulingGates} never reaches activeQ; it
 * waits, with no FailedScheduling event, until whoever owns the gates removes them all.
 */
public final class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  public static final String NAME = "SchedulingGates";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preEnqueue(Pod pod) {
    if (pod.spec.schedulingGates == null || pod.spec.schedulingGates.isEmpty()) return Status.SUCCESS;
    List<String> names = new ArrayList<>();
    for (PodSpec.SchedulingGate g : pod.spec.schedulingGates) names.add(g.name);
    return Status.unresolvable("waiting for scheduling gates: [" + String.join(" ", names) + "]");
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(new ClusterEvent(ClusterEvent.Resource.UNSCHEDULED_POD, ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED));
  }
}
