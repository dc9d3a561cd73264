package kubelab.scheduler.plugins.interpodaffinity;

import java.util.List;
import java.util.Map;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.AffinityTerm;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.Handle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeScoreList;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Status;

/**
 * InterPodAffinity: place a pod relative to other pods, per topology domain (the set of nodes
 * sharing a value of {@code topologyKey}: one node for kubernetes.io/hostname, a zone for
 * topology.kubernetes.io/zone).
 *
 * <p>PreFilter counts, once per cycle, per domain:
 * <ul>
 *   <li>existing pods whose required anti-affinity matches the incoming pod ("they don't want me");
 *   <li>existing pods matching all of the incoming pod's required affinity terms ("I want them");
 *   <li>existing pods matching one of its required anti-affinity terms ("I don't want them").
 * </ul>
 * Filter then checks the node's domains against the counts, in this order: affinity
 * ({@code node(s) didn't match pod affinity rules}, unresolvable), anti-affinity
 * ({@code ...pod anti-affinity rules}) and existing pods' anti-affinity
 * ({@code node(s) didn't satisfy existing pods anti-affinity rules}), both UNSCHEDULABLE. A pod
 * whose affinity matches itself may start a group when no matching pod exists anywhere.
 *
 * <p>Score adds, per domain, the weights of the preferred terms (the incoming pod's and the
 * existing pods'; anti-affinity subtracts; an existing pod's required affinity that the incoming
 * pod matches adds hardPodAffinityWeight), then NormalizeScore maps min..max onto 0..100.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "InterPodAffinity";
  private static final CycleState.Key<FilterState> FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
  private static final CycleState.Key<ScoreState> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);
  private static final Status AFFINITY = Status.unresolvable(SchedulerReasons.POD_AFFINITY_MISMATCH).withPlugin(NAME);
  private static final Status ANTI = Status.unschedulable(SchedulerReasons.POD_ANTI_AFFINITY_MISMATCH).withPlugin(NAME);
  private static final Status EXISTING_ANTI = Status.unschedulable(SchedulerReasons.EXISTING_PODS_ANTI_AFFINITY_MISMATCH).withPlugin(NAME);

  private final Handle handle;
  private final long hardPodAffinityWeight;

  static final class FilterState implements CycleState.StateData {
    TopologyCounts existingAntiAffinity = new TopologyCounts();
    TopologyCounts affinity = new TopologyCounts();
    TopologyCounts antiAffinity = new TopologyCounts();
    Map<String, String> namespaceLabels = Map.of();

    @Override
    public FilterState copy() {
      FilterState c = new FilterState();
      c.existingAntiAffinity = existingAntiAffinity.copy();
      c.affinity = affinity.copy();
      c.antiAffinity = antiAffinity.copy();
      c.namespaceLabels = namespaceLabels;
      return c;
    }
  }

  record ScoreState(TopologyCounts topologyScore) implements CycleState.StateData {}

  public InterPodAffinity(Map<String, Object> args, Handle handle) {
    this.handle = handle;
    Object w = args.get("hardPodAffinityWeight");
    this.hardPodAffinityWeight = w == null ? Params.DEFAULT_HARD_POD_AFFINITY_WEIGHT : Long.parseLong(w.toString());
    if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
      throw new IllegalArgumentException("hardPodAffinityWeight: must be in [0, 100]");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  // ------------------------------------------------------------------ filter

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    PodInfo p = state.podInfo();
    List<NodeInfo> withAnti = handle.snapshot().havePodsWithRequiredAntiAffinityList();
    if (p.requiredAffinityTerms().isEmpty() && p.requiredAntiAffinityTerms().isEmpty() && withAnti.isEmpty()) {
      return Status.SKIP;
    }
    FilterState s = new FilterState();
    s.namespaceLabels = handle.objects().namespaceLabels(p.namespace());
    // Existing pods' anti-affinity against the incoming pod: per node, the matching terms' keys.
    int m = withAnti.size();
    Object[] matchedKeys = new Object[m]; // List<String> per node, or null
    final Map<String, String> nsLabels = s.namespaceLabels;
    handle.parallelizer().until(m, i -> {
      List<String> keys = null;
      for (PodInfo existing : withAnti.get(i).podsWithRequiredAntiAffinity()) {
        for (AffinityTerm t : existing.requiredAntiAffinityTerms()) {
          if (!t.matches(p, nsLabels)) continue;
          if (keys == null) keys = new java.util.ArrayList<>(2);
          keys.add(t.topologyKey());
        }
      }
      matchedKeys[i] = keys;
      return true;
    });
    for (int i = 0; i < m; i++) {
      if (!(matchedKeys[i] instanceof List<?> keys)) continue;
      for (Object k : keys) s.existingAntiAffinity.update(withAnti.get(i).labels(), (String) k, 1);
    }
    // The incoming pod's terms against existing pods: per node, one affinity count (pods matching
    // all terms) and one count per anti-affinity term.
    List<AffinityTerm> aff = p.requiredAffinityTerms();
    List<AffinityTerm> anti = p.requiredAntiAffinityTerms();
    if (!aff.isEmpty() || !anti.isEmpty()) {
      List<NodeInfo> nodes = handle.snapshot().list();
      int n = nodes.size();
      int width = 1 + anti.size();
      int[] counts = new int[n * width];
      handle.parallelizer().until(n, i -> {
        NodeInfo ni = nodes.get(i);
        for (PodInfo existing : ni.pods()) {
          if (!aff.isEmpty() && matchesAll(aff, existing)) counts[i * width]++;
          for (int t = 0; t < anti.size(); t++) {
            if (anti.get(t).matches(existing, handle.objects())) counts[i * width + 1 + t]++;
          }
        }
        return true;
      });
      for (int i = 0; i < n; i++) {
        Map<String, String> labels = nodes.get(i).labels();
        int a = counts[i * width];
        if (a > 0) for (AffinityTerm t : aff) s.affinity.update(labels, t.topologyKey(), a);
        for (int t = 0; t < anti.size(); t++) {
          int c = counts[i * width + 1 + t];
          if (c > 0) s.antiAffinity.update(labels, anti.get(t).topologyKey(), c);
        }
      }
    }
    state.write(FILTER_KEY, s);
    return Status.SUCCESS;
  }

  private void addIncoming(FilterState s, PodInfo incoming, PodInfo existing, NodeInfo n, long delta) {
    List<AffinityTerm> aff = incoming.requiredAffinityTerms();
    if (!aff.isEmpty() && matchesAll(aff, existing)) {
      for (AffinityTerm t : aff) s.affinity.update(n.labels(), t.topologyKey(), delta);
    }
    for (AffinityTerm t : incoming.requiredAntiAffinityTerms()) {
      if (t.matches(existing, handle.objects())) {
        s.antiAffinity.update(n.labels(), t.topologyKey(), delta);
      }
    }
  }

  private boolean matchesAll(List<AffinityTerm> terms, PodInfo pod) {
    for (AffinityTerm t : terms) if (!t.matches(pod, handle.objects())) return false;
    return true;
  }

  @Override
  public PreFilterExtensions preFilterExtensions() {
    return new PreFilterExtensions() {
      @Override
      public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node) {
        update(state, podToAdd, node, 1);
        return Status.SUCCESS;
      }

      @Override
      public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node) {
        update(state, podToRemove, node, -1);
        return Status.SUCCESS;
      }
    };
  }

  private void update(CycleState state, PodInfo other, NodeInfo node, long delta) {
    FilterState s = state.read(FILTER_KEY);
    if (s == null) return;
    PodInfo p = state.podInfo();
    for (AffinityTerm t : other.requiredAntiAffinityTerms()) {
      if (t.matches(p, s.namespaceLabels)) s.existingAntiAffinity.update(node.labels(), t.topologyKey(), delta);
    }
    addIncoming(s, p, other, node, delta);
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    FilterState s = state.require(FILTER_KEY);
    PodInfo p = state.podInfo();
    if (!satisfiesAffinity(s, p, node)) return AFFINITY;
    for (AffinityTerm t : p.requiredAntiAffinityTerms()) {
      if (s.antiAffinity.forNode(node.labels(), t.topologyKey()) > 0) return ANTI;
    }
    if (!s.existingAntiAffinity.isEmpty()) {
      for (var e : s.existingAntiAffinity.raw().entrySet()) {
        String v = node.labels().get(e.getKey());
        if (v != null && e.getValue().getOrDefault(v, 0L) > 0) return EXISTING_ANTI;
      }
    }
    return Status.SUCCESS;
  }

  private boolean satisfiesAffinity(FilterState s, PodInfo p, NodeInfo node) {
    List<AffinityTerm> terms = p.requiredAffinityTerms();
    if (terms.isEmpty()) return true;
    boolean podsExist = true;
    for (AffinityTerm t : terms) {
      String v = node.labels().get(t.topologyKey());
      if (v == null) return false; // every topology label must exist on the node
      if (s.affinity.get(t.topologyKey(), v) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: nobody matches anywhere yet.
    return s.affinity.isEmpty() && matchesAll(terms, p);
  }

  // ------------------------------------------------------------------ score

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    if (feasibleNodes.isEmpty()) return Status.SKIP;
    PodInfo p = state.podInfo();
    boolean hasConstraints = !p.preferredAffinityTerms().isEmpty() || !p.preferredAntiAffinityTerms().isEmpty();
    List<NodeInfo> nodes = hasConstraints ? handle.snapshot().list() : handle.snapshot().havePodsWithAffinityList();
    TopologyCounts score = new TopologyCounts();
    Map<String, String> nsLabels = handle.objects().namespaceLabels(p.namespace());
    for (NodeInfo n : nodes) {
      if (n.labels().isEmpty()) continue;
      List<PodInfo> pods = hasConstraints ? n.pods() : n.podsWithAffinity();
      for (PodInfo existing : pods) {
        for (PodInfo.WeightedAffinityTerm w : p.preferredAffinityTerms()) {
          if (w.term().matches(existing, handle.objects())) score.update(n.labels(), w.term().topologyKey(), w.weight());
        }
        for (PodInfo.WeightedAffinityTerm w : p.preferredAntiAffinityTerms()) {
          if (w.term().matches(existing, handle.objects())) score.update(n.labels(), w.term().topologyKey(), -w.weight());
        }
        if (hardPodAffinityWeight > 0) {
          for (AffinityTerm t : existing.requiredAffinityTerms()) {
            if (t.matches(p, nsLabels)) score.update(n.labels(), t.topologyKey(), hardPodAffinityWeight);
          }
        }
        for (PodInfo.WeightedAffinityTerm w : existing.preferredAffinityTerms()) {
          if (w.term().matches(p, nsLabels)) score.update(n.labels(), w.term().topologyKey(), w.weight());
        }
        for (PodInfo.WeightedAffinityTerm w : existing.preferredAntiAffinityTerms()) {
          if (w.term().matches(p, nsLabels)) score.update(n.labels(), w.term().topologyKey(), -w.weight());
        }
      }
    }
    if (score.isEmpty()) return Status.SKIP;
    state.write(SCORE_KEY, new ScoreState(score));
    return Status.SUCCESS;
  }

  /** Raw score: Σ over topology keys of the node's domain's accumulated weight (may be negative). */
  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    TopologyCounts s = state.require(SCORE_KEY).topologyScore();
    long sum = 0;
    for (var e : s.raw().entrySet()) {
      String v = node.labels().get(e.getKey());
      if (v != null) sum += e.getValue().getOrDefault(v, 0L);
    }
    return sum;
  }

  /** Min-max normalization: the lowest raw score becomes 0, the highest 100. */
  @Override
  public void normalizeScore(CycleState state, Pod pod, NodeScoreList scores) {
    if (state.read(SCORE_KEY) == null) return;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < scores.size(); i++) {
      min = Math.min(min, scores.score(i));
      max = Math.max(max, scores.score(i));
    }
    long diff = max - min;
    for (int i = 0; i < scores.size(); i++) {
      double f = diff > 0 ? Params.MAX_NODE_SCORE * ((double) (scores.score(i) - min) / diff) : 0;
      scores.set(i, (long) f);
    }
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_LABEL),
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }
}
