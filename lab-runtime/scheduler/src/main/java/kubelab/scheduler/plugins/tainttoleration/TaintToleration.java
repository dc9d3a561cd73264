package kubelab.scheduler.plugins.tainttoleration;

import java.util.ArrayList;
import java.util.List;
import kubelab.api.core.Pod;
import kubelab.api.core.Taint;
import kubelab.api.core.Toleration;
import kubelab.scheduler.Params;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeScoreList;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.framework.Taints;

/**
 * TaintToleration (the old PodToleratesNodeTaints): taints repel, tolerations allow.
 *
 * <ul>
 *   <li>Filter: every NoSchedule and NoExecute taint on the node (the condition taints of
 *       TaintNodesByCondition included) must be tolerated; the first one that is not is named in
 *       the reason, {@code node(s) had untolerated taint {key: value}}, which is unresolvable by
 *       preemption.
 *   <li>Score: PreferNoSchedule is a soft taint; a node scores by how few of them the pod does
 *       not tolerate (raw = count; NormalizeScore reverses: the fewest gets 100).
 * </ul>
 * Toleration matching: operator Equal (default) compares key and value, Exists only the key; an
 * empty key with Exists matches every taint; an empty effect matches every effect.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "TaintToleration";
  private static final CycleState.Key<PreferNoScheduleTolerations> KEY = new CycleState.Key<>("PreScore" + NAME);

  private record PreferNoScheduleTolerations(List<Toleration> tolerations) implements CycleState.StateData {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    Taint t = Taints.firstUntoleratedDoNotSchedule(node.taints(), state.podInfo().tolerations());
    if (t == null) return Status.SUCCESS;
    return Status.unresolvable(SchedulerReasons.untoleratedTaint(t.key, t.value)).withPlugin(NAME);
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    List<Toleration> l = new ArrayList<>();
    for (Toleration t : state.podInfo().tolerations()) {
      if (t.effect == null || t.effect.isEmpty() || "PreferNoSchedule".equals(t.effect)) l.add(t);
    }
    state.write(KEY, new PreferNoScheduleTolerations(l));
    return Status.SUCCESS;
  }

  /** Raw score: the number of PreferNoSchedule taints the pod does not tolerate. */
  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    List<Taint> taints = node.taints();
    if (taints.isEmpty()) return 0;
    List<Toleration> tol = state.require(KEY).tolerations();
    long n = 0;
    for (Taint t : taints) {
      if ("PreferNoSchedule".equals(t.effect) && !Taints.tolerated(t, tol)) n++;
    }
    return n;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, NodeScoreList scores) {
    scores.defaultNormalize(Params.MAX_NODE_SCORE, true);
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT),
        new ClusterEvent(ClusterEvent.Resource.UNSCHEDULED_POD, ClusterEvent.UPDATE_POD_TOLERATION));
  }
}
