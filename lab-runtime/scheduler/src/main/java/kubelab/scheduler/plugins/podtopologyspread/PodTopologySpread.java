package kubelab.scheduler.plugins.podtopologyspread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Pod;
import kubelab.api.core.TopologySpreadConstraint;
import kubelab.scheduler.Params;
import kubelab.scheduler.SchedulerReasons;
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
 * PodTopologySpread: spread matching pods evenly over topology domains (zones, nodes).
 *
 * <p>Filter (whenUnsatisfiable: DoNotSchedule): for each constraint, placing the pod on this node
 * must keep {@code matching pods in the node's domain + 1 (if the pod matches itself) − the
 * smallest count of any eligible domain ≤ maxSkew}. Domains are the values of the topology key
 * on the nodes that pass the pod's node affinity (nodeAffinityPolicy: Honor, the default) and,
 * with nodeTaintsPolicy: Honor, tolerate its taints; with the default Ignore a tainted node still
 * counts as an (empty) domain, which can leave pods Pending. Fewer domains than minDomains make
 * the minimum 0. A node without the topology label is rejected outright ("... (missing required
 * label)"); a too-skewed node is UNSCHEDULABLE.
 *
 * <p>Score (ScheduleAnyway constraints, or the system defaults for pods of a controller: hostname
 * maxSkew 3 and zone maxSkew 5): a node's raw score is Σ over constraints of
 * {@code matching pods in its domain × log(domains + 2) + (maxSkew − 1)}; NormalizeScore makes the
 * least crowded node 100: {@code 100 × (max + min − score) / max}.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "PodTopologySpread";
  private static final CycleState.Key<FilterState> FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
  private static final CycleState.Key<ScoreState> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);
  private static final Status MISSING_LABEL = Status.unresolvable(SchedulerReasons.TOPOLOGY_SPREAD_MISSING_LABEL).withPlugin(NAME);
  private static final Status SKEWED = Status.unschedulable(SchedulerReasons.TOPOLOGY_SPREAD_MISMATCH).withPlugin(NAME);

  private final Handle handle;
  private final List<TopologySpreadConstraint> defaultConstraints;
  private final boolean systemDefaulted;

  static final class FilterState implements CycleState.StateData {
    List<SpreadConstraint> constraints;
    /** Per constraint: domain value → matching pods. */
    List<Map<String, Integer>> matchNum;
    int[] min;

    void recomputeMin() {
      min = new int[constraints.size()];
      for (int i = 0; i < min.length; i++) {
        int m = Integer.MAX_VALUE;
        for (int v : matchNum.get(i).values()) m = Math.min(m, v);
        min[i] = m;
      }
    }

    @Override
    public FilterState copy() {
      FilterState c = new FilterState();
      c.constraints = constraints;
      c.matchNum = new ArrayList<>();
      for (Map<String, Integer> m : matchNum) c.matchNum.add(new HashMap<>(m));
      c.min = min.clone();
      return c;
    }
  }

  static final class ScoreState implements CycleState.StateData {
    List<SpreadConstraint> constraints;
    List<Map<String, long[]>> podCounts;
    double[] weights;
    Set<String> ignoredNodes = new HashSet<>();
  }

  @SuppressWarnings("unchecked")
  public PodTopologySpread(Map<String, Object> args, Handle handle) {
    this.handle = handle;
    Object type = args.get("defaultingType");
    this.systemDefaulted = type == null || "System".equals(type);
    if (!systemDefaulted && !"List".equals(type)) throw new IllegalArgumentException("defaultingType: must be System or List");
    List<TopologySpreadConstraint> d = new ArrayList<>();
    if (systemDefaulted) {
      if (args.get("defaultConstraints") != null && !((List<Object>) args.get("defaultConstraints")).isEmpty()) {
        throw new IllegalArgumentException("defaultConstraints: must be empty when defaultingType is System");
      }
      d.add(constraint(3, SchedulerReasons.LABEL_HOSTNAME));
      d.add(constraint(5, SchedulerReasons.LABEL_ZONE));
    } else if (args.get("defaultConstraints") instanceof List<?> l) {
      for (Object o : l) d.add(kubelab.api.Json.convert(o, TopologySpreadConstraint.class));
    }
    this.defaultConstraints = List.copyOf(d);
  }

  private static TopologySpreadConstraint constraint(int skew, String key) {
    TopologySpreadConstraint c = new TopologySpreadConstraint();
    c.maxSkew = skew;
    c.topologyKey = key;
    c.whenUnsatisfiable = "ScheduleAnyway";
    return c;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Explicit constraints with the given effect, or the defaults (selector: same controller owner). */
  private List<SpreadConstraint> constraints(PodInfo p, boolean doNotSchedule) {
    List<SpreadConstraint> out = new ArrayList<>();
    List<TopologySpreadConstraint> explicit = p.pod().spec.topologySpreadConstraints;
    if (explicit != null && !explicit.isEmpty()) {
      for (TopologySpreadConstraint c : explicit) {
        SpreadConstraint sc = SpreadConstraint.of(c, p.labels());
        if (sc.doNotSchedule() == doNotSchedule) out.add(sc);
      }
      return out;
    }
    if (p.controllerUid() == null) return out;
    for (TopologySpreadConstraint c : defaultConstraints) {
      SpreadConstraint sc = SpreadConstraint.of(c, p.labels());
      if (sc.doNotSchedule() != doNotSchedule) continue;
      out.add(new SpreadConstraint(sc.maxSkew(), sc.topologyKey(), sc.doNotSchedule(), null, p.controllerUid(),
          sc.minDomains(), sc.honorNodeAffinity(), sc.honorTaints()));
    }
    return out;
  }

  private static boolean hasAllKeys(NodeInfo n, List<SpreadConstraint> cs) {
    for (SpreadConstraint c : cs) if (!n.labels().containsKey(c.topologyKey())) return false;
    return true;
  }

  // ------------------------------------------------------------------ filter

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    PodInfo p = state.podInfo();
    List<SpreadConstraint> cs = constraints(p, true);
    if (cs.isEmpty()) return Status.SKIP;
    FilterState s = new FilterState();
    s.constraints = cs;
    s.matchNum = new ArrayList<>();
    for (int i = 0; i < cs.size(); i++) s.matchNum.add(new HashMap<>());
    List<NodeInfo> nodes = handle.snapshot().list();
    int n = nodes.size();
    int k = cs.size();
    int[] counts = new int[n * k];
    boolean[] eligible = new boolean[n * k];
    String ns = p.namespace();
    handle.parallelizer().until(n, i -> {
      NodeInfo ni = nodes.get(i);
      if (!hasAllKeys(ni, cs)) return true;
      for (int c = 0; c < k; c++) {
        SpreadConstraint sc = cs.get(c);
        if (!sc.includesNode(p, ni)) continue;
        eligible[i * k + c] = true;
        counts[i * k + c] = sc.countOn(ni, ns);
      }
      return true;
    });
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        if (!eligible[i * k + c]) continue;
        s.matchNum.get(c).merge(nodes.get(i).labels().get(cs.get(c).topologyKey()), counts[i * k + c], Integer::sum);
      }
    }
    s.recomputeMin();
    state.write(FILTER_KEY, s);
    return Status.SUCCESS;
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

  private void update(CycleState state, PodInfo other, NodeInfo node, int delta) {
    FilterState s = state.read(FILTER_KEY);
    if (s == null || !hasAllKeys(node, s.constraints)) return;
    PodInfo p = state.podInfo();
    for (int c = 0; c < s.constraints.size(); c++) {
      SpreadConstraint sc = s.constraints.get(c);
      if (!sc.includesNode(p, node) || !sc.counts(other, p.namespace())) continue;
      s.matchNum.get(c).merge(node.labels().get(sc.topologyKey()), delta, Integer::sum);
    }
    s.recomputeMin();
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    FilterState s = state.require(FILTER_KEY);
    PodInfo p = state.podInfo();
    for (int c = 0; c < s.constraints.size(); c++) {
      SpreadConstraint sc = s.constraints.get(c);
      String v = node.labels().get(sc.topologyKey());
      if (v == null) return MISSING_LABEL;
      Map<String, Integer> m = s.matchNum.get(c);
      int minMatch = m.size() < sc.minDomains() ? 0 : s.min[c];
      int self = sc.selects(p) ? 1 : 0;
      Integer match = m.get(v);
      long skew = (long) (match == null ? 0 : match) + self - minMatch;
      if (skew > sc.maxSkew()) return SKEWED;
    }
    return Status.SUCCESS;
  }

  // ------------------------------------------------------------------ score

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    PodInfo p = state.podInfo();
    List<SpreadConstraint> cs = constraints(p, false);
    if (cs.isEmpty() || feasibleNodes.isEmpty()) return Status.SKIP;
    boolean explicit = p.pod().spec.topologySpreadConstraints != null && !p.pod().spec.topologySpreadConstraints.isEmpty();
    boolean requireAll = explicit || !systemDefaulted;
    ScoreState s = new ScoreState();
    s.constraints = cs;
    s.podCounts = new ArrayList<>();
    int[] domains = new int[cs.size()];
    for (int c = 0; c < cs.size(); c++) s.podCounts.add(new HashMap<>());
    for (NodeInfo n : feasibleNodes) {
      if (requireAll && !hasAllKeys(n, cs)) {
        s.ignoredNodes.add(n.name());
        continue;
      }
      for (int c = 0; c < cs.size(); c++) {
        SpreadConstraint sc = cs.get(c);
        if (sc.topologyKey().equals(SchedulerReasons.LABEL_HOSTNAME)) continue;
        String v = n.labels().get(sc.topologyKey());
        if (v == null) continue;
        if (s.podCounts.get(c).putIfAbsent(v, new long[1]) == null) domains[c]++;
      }
    }
    s.weights = new double[cs.size()];
    for (int c = 0; c < cs.size(); c++) {
      int size = cs.get(c).topologyKey().equals(SchedulerReasons.LABEL_HOSTNAME)
          ? feasibleNodes.size() - s.ignoredNodes.size() : domains[c];
      s.weights[c] = Math.log(size + 2);
    }
    String ns = p.namespace();
    for (NodeInfo n : handle.snapshot().list()) {
      if (requireAll && !hasAllKeys(n, cs)) continue;
      for (int c = 0; c < cs.size(); c++) {
        SpreadConstraint sc = cs.get(c);
        if (sc.topologyKey().equals(SchedulerReasons.LABEL_HOSTNAME)) continue;
        if (!sc.includesNode(p, n)) continue;
        String v = n.labels().get(sc.topologyKey());
        if (v == null) continue;
        long[] cnt = s.podCounts.get(c).get(v);
        if (cnt != null) cnt[0] += sc.countOn(n, ns);
      }
    }
    state.write(SCORE_KEY, s);
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    ScoreState s = state.require(SCORE_KEY);
    if (s.ignoredNodes.contains(node.name())) return 0;
    double score = 0;
    String ns = state.podInfo().namespace();
    for (int c = 0; c < s.constraints.size(); c++) {
      SpreadConstraint sc = s.constraints.get(c);
      String v = node.labels().get(sc.topologyKey());
      if (v == null) continue;
      long cnt;
      if (sc.topologyKey().equals(SchedulerReasons.LABEL_HOSTNAME)) {
        cnt = sc.countOn(node, ns);
      } else {
        long[] a = s.podCounts.get(c).get(v);
        cnt = a == null ? 0 : a[0];
      }
      score += cnt * s.weights[c] + (sc.maxSkew() - 1);
    }
    return Math.round(score);
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, NodeScoreList scores) {
    ScoreState s = state.read(SCORE_KEY);
    if (s == null) return;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < scores.size(); i++) {
      if (s.ignoredNodes.contains(scores.name(i))) continue;
      min = Math.min(min, scores.score(i));
      max = Math.max(max, scores.score(i));
    }
    for (int i = 0; i < scores.size(); i++) {
      if (s.ignoredNodes.contains(scores.name(i))) {
        scores.set(i, 0);
      } else if (max == 0) {
        scores.set(i, Params.MAX_NODE_SCORE);
      } else {
        scores.set(i, Params.MAX_NODE_SCORE * (max + min - scores.score(i)) / max);
      }
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
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
  }
}
