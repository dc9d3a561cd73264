package kubelab.scheduler.plugins.nodeaffinity;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kubelab.api.core.NodeAffinity.PreferredSchedulingTerm;
import kubelab.api.core.NodeSelector;
import kubelab.api.core.NodeSelectorRequirement;
import kubelab.api.core.NodeSelectorTerm;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeScoreList;
import kubelab.scheduler.framework.NodeSelectors;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Status;

/**
 * NodeAffinity (the old PodMatchNodeSelector plus NodeAffinityPriority).
 *
 * <ul>
 *   <li>Filter: the node's labels must satisfy {@code spec.nodeSelector} (exact matches) and the
 *       required node affinity (terms ORed, requirements ANDed; In, NotIn, Exists, DoesNotExist,
 *       Gt, Lt). Failing is unresolvable by preemption.
 *   <li>PreFilter: a pod with neither skips the Filter; required terms that all pin
 *       {@code matchFields metadata.name In [...]} (DaemonSet pods) restrict the cycle to those
 *       nodes, so 5,000 nodes are not filtered to find one.
 *   <li>Score: Σ weights of the preferred terms the node matches; NormalizeScore scales the best
 *       to 100. "IgnoredDuringExecution": nothing here ever moves a running pod.
 * </ul>
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  private static final Status REJECT = Status.unresolvable(SchedulerReasons.NODE_AFFINITY_MISMATCH).withPlugin(NAME);
  private static final CycleState.Key<Preferred> PREFERRED = new CycleState.Key<>("PreScore" + NAME);

  private record Preferred(List<PreferredSchedulingTerm> terms) implements CycleState.StateData {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    NodeSelector req = required(pod);
    if (req == null && pod.spec.nodeSelector == null) return Status.SKIP;
    if (req == null || req.nodeSelectorTerms == null || req.nodeSelectorTerms.isEmpty()) return Status.SUCCESS;
    Set<String> names = null;
    for (NodeSelectorTerm t : req.nodeSelectorTerms) {
      Set<String> termNames = null;
      if (t.matchFields != null) {
        for (NodeSelectorRequirement r : t.matchFields) {
          if (!"metadata.name".equals(r.key) || !"In".equals(r.operator)) continue;
          Set<String> s = new HashSet<>(r.values == null ? List.of() : r.values);
          if (termNames == null) termNames = s;
          else termNames.retainAll(s);
        }
      }
      if (termNames == null) return Status.SUCCESS; // this term allows any node name
      if (names == null) names = new HashSet<>();
      names.addAll(termNames);
    }
    if (names != null && names.isEmpty()) return Status.unresolvable("pod affinity terms conflict");
    if (names != null) state.restrictNodes(names);
    return Status.SUCCESS;
  }

  private static NodeSelector required(Pod pod) {
    if (pod.spec.affinity == null || pod.spec.affinity.nodeAffinity == null) return null;
    return pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    return NodeSelectors.podMatchesNode(pod, node.name(), node.labels()) ? Status.SUCCESS : REJECT;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    if (pod.spec.affinity == null || pod.spec.affinity.nodeAffinity == null) return Status.SKIP;
    List<PreferredSchedulingTerm> p = pod.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    if (p == null || p.isEmpty()) return Status.SKIP;
    state.write(PREFERRED, new Preferred(p));
    return Status.SUCCESS;
  }

  /** Raw score: the sum of the weights of the preferred terms this node matches. */
  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    long sum = 0;
    for (PreferredSchedulingTerm t : state.require(PREFERRED).terms()) {
      if (t.weight == null || t.weight == 0) continue;
      if (NodeSelectors.termMatches(t.preference, node.name(), node.labels())) sum += t.weight;
    }
    return sum;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, NodeScoreList scores) {
    scores.defaultNormalize(Params.MAX_NODE_SCORE, false);
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }
}
