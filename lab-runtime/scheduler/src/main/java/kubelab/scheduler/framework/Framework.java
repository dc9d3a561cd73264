package kubelab.scheduler.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.config.ExtensionPoint;
import kubelab.scheduler.config.PluginSet;
import kubelab.scheduler.config.Profile;

/**
 * One profile's plugins, wired to the extension points, and the code that runs each point
 * (Kubernetes' frameworkImpl).
 *
 * <p>Building: every plugin named in the profile is created once from the registry; it then joins
 * every extension point it implements through multiPoint, unless disabled there, in this order
 * (kube-scheduler's expandMultiPointPlugins): plugins re-configured at a specific point, then the
 * multiPoint ones, then other plugins enabled at that point. Score weights come from an explicit
 * score entry, else multiPoint; 0 reads as 1.
 *
 * <p>Running: the run* methods follow v1.32's semantics. PreFilter/PreScore may SKIP a plugin for
 * the cycle; Filter stops at the first rejecting plugin of a node (that plugin's reasons are what
 * the fit error counts); PostFilter stops at the first success; Score runs all plugins over all
 * feasible nodes in parallel, then NormalizeScore, then weights. Filter and Score are called from
 * the parallelizer's threads; everything else from the scheduling thread or a binding thread.
 */
public final class Framework {
  private final String schedulerName;
  private final Integer percentageOfNodesToScore;
  private final Handle handle;
  private final Map<String, Plugin> plugins = new LinkedHashMap<>();
  private final Map<ExtensionPoint, List<Plugin>> byPoint = new EnumMap<>(ExtensionPoint.class);
  private final List<PreEnqueuePlugin> preEnqueue;
  private final QueueSortPlugin queueSort;
  private final List<PreFilterPlugin> preFilter;
  private final FilterPlugin[] filter;
  private final List<PostFilterPlugin> postFilter;
  private final List<PreScorePlugin> preScore;
  private final ScorePlugin[] score;
  private final long[] scoreWeights;
  private final List<ReservePlugin> reserve;
  private final List<PermitPlugin> permit;
  private final List<PreBindPlugin> preBind;
  private final List<BindPlugin> bind;
  private final List<PostBindPlugin> postBind;
  private final Scores scores = new Scores();
  private final NodeScoreList scoreList = new NodeScoreList(new NodeInfo[0], new long[0], 0);

  /**
   * Builds the framework of {@code profile}.
   *
   * @throws IllegalArgumentException for an unknown plugin, a plugin enabled at a point it does
   *     not implement, a double registration, no QueueSort or no Bind plugin
   */
  public Framework(Profile profile, Map<String, PluginFactory> registry, FrameworkHandle handle) {
    this.schedulerName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.handle = handle;
    handle.bind(this);
    String where = "profile \"" + schedulerName + "\": ";

    // 1. Create every plugin the profile names, once.
    Set<String> needed = new LinkedHashSet<>();
    for (PluginSet.Entry e : profile.multiPoint.enabled) needed.add(e.name());
    for (PluginSet s : profile.points.values()) for (PluginSet.Entry e : s.enabled) needed.add(e.name());
    for (String name : needed) {
      PluginFactory f = registry.get(name);
      if (f == null) {
        throw new IllegalArgumentException(where + "plugin \"" + name + "\" does not exist (known: "
            + String.join(", ", new java.util.TreeSet<>(registry.keySet())) + ")");
      }
      Map<String, Object> args = profile.pluginArgs.getOrDefault(name, Map.of());
      try {
        plugins.put(name, f.create(args, handle));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + "pluginConfig of " + name + ": " + ex.getMessage(), ex);
      }
    }
    for (String argsFor : profile.pluginArgs.keySet()) {
      if (!plugins.containsKey(argsFor) && !registry.containsKey(argsFor)) {
        throw new IllegalArgumentException(where + "pluginConfig names unknown plugin \"" + argsFor + "\"");
      }
    }

    // 2. Expand to extension points.
    for (ExtensionPoint p : ExtensionPoint.values()) byPoint.put(p, expand(profile, p, where));

    preEnqueue = typed(ExtensionPoint.PRE_ENQUEUE, PreEnqueuePlugin.class);
    List<QueueSortPlugin> qs = typed(ExtensionPoint.QUEUE_SORT, QueueSortPlugin.class);
    if (qs.size() != 1) throw new IllegalArgumentException(where + "exactly one queueSort plugin is required, found " + qs.size());
    queueSort = qs.get(0);
    preFilter = typed(ExtensionPoint.PRE_FILTER, PreFilterPlugin.class);
    filter = typed(ExtensionPoint.FILTER, FilterPlugin.class).toArray(new FilterPlugin[0]);
    postFilter = typed(ExtensionPoint.POST_FILTER, PostFilterPlugin.class);
    preScore = typed(ExtensionPoint.PRE_SCORE, PreScorePlugin.class);
    score = typed(ExtensionPoint.SCORE, ScorePlugin.class).toArray(new ScorePlugin[0]);
    reserve = typed(ExtensionPoint.RESERVE, ReservePlugin.class);
    permit = typed(ExtensionPoint.PERMIT, PermitPlugin.class);
    preBind = typed(ExtensionPoint.PRE_BIND, PreBindPlugin.class);
    bind = typed(ExtensionPoint.BIND, BindPlugin.class);
    postBind = typed(ExtensionPoint.POST_BIND, PostBindPlugin.class);
    if (bind.isEmpty()) throw new IllegalArgumentException(where + "at least one bind plugin is required");
    if (filter.length > 64 || score.length > 64) throw new IllegalArgumentException(where + "at most 64 Filter and 64 Score plugins");

    // 3. Score weights: explicit score entries first, then multiPoint; 0 reads as 1.
    Map<String, Integer> weights = new LinkedHashMap<>();
    List<PluginSet.Entry> order = new ArrayList<>(profile.points.getOrDefault(ExtensionPoint.SCORE, new PluginSet()).enabled);
    order.addAll(profile.multiPoint.enabled);
    for (PluginSet.Entry e : order) weights.putIfAbsent(e.name(), e.weight() == 0 ? 1 : e.weight());
    scoreWeights = new long[score.length];
    long total = 0;
    for (int i = 0; i < score.length; i++) {
      scoreWeights[i] = weights.getOrDefault(score[i].name(), 1);
      total += scoreWeights[i] * Params.MAX_NODE_SCORE;
      if (total > Params.MAX_TOTAL_SCORE) throw new IllegalArgumentException(where + "total score of Score plugins could overflow");
    }
  }

  private List<Plugin> expand(Profile profile, ExtensionPoint point, String where) {
    PluginSet specific = profile.points.getOrDefault(point, new PluginSet());
    Set<String> disabled = new HashSet<>(specific.disabled);
    LinkedHashSet<String> enabledSet = new LinkedHashSet<>();
    for (PluginSet.Entry e : specific.enabled) {
      Plugin pl = plugins.get(e.name());
      if (!implementsPoint(pl, point)) {
        throw new IllegalArgumentException(where + "plugin \"" + e.name() + "\" does not extend " + point.title() + " plugin");
      }
      if (!enabledSet.add(e.name())) {
        throw new IllegalArgumentException(where + "plugin \"" + e.name() + "\" already registered as " + point.title());
      }
    }
    List<Plugin> out = new ArrayList<>();
    if (disabled.contains("*")) {
      for (String n : enabledSet) out.add(plugins.get(n));
      return out;
    }
    LinkedHashSet<String> multi = new LinkedHashSet<>();
    Set<String> overrides = new HashSet<>();
    for (PluginSet.Entry e : profile.multiPoint.enabled) {
      Plugin pl = plugins.get(e.name());
      if (!implementsPoint(pl, point) || disabled.contains(e.name())) continue;
      if (enabledSet.contains(e.name())) {
        overrides.add(e.name());
        continue;
      }
      if (!multi.add(e.name())) {
        throw new IllegalArgumentException(where + "plugin \"" + e.name() + "\" already registered as " + point.title());
      }
    }
    for (String n : enabledSet) if (overrides.contains(n)) out.add(plugins.get(n));
    for (String n : multi) out.add(plugins.get(n));
    for (String n : enabledSet) if (!overrides.contains(n)) out.add(plugins.get(n));
    return out;
  }

  private static boolean implementsPoint(Plugin p, ExtensionPoint point) {
    return switch (point) {
      case PRE_ENQUEUE -> p instanceof PreEnqueuePlugin;
      case QUEUE_SORT -> p instanceof QueueSortPlugin;
      case PRE_FILTER -> p instanceof PreFilterPlugin;
      case FILTER -> p instanceof FilterPlugin;
      case POST_FILTER -> p instanceof PostFilterPlugin;
      case PRE_SCORE -> p instanceof PreScorePlugin;
      case SCORE -> p instanceof ScorePlugin;
      case RESERVE -> p instanceof ReservePlugin;
      case PERMIT -> p instanceof PermitPlugin;
      case PRE_BIND -> p instanceof PreBindPlugin;
      case BIND -> p instanceof BindPlugin;
      case POST_BIND -> p instanceof PostBindPlugin;
    };
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> typed(ExtensionPoint p, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Plugin pl : byPoint.get(p)) out.add((T) pl);
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- queue

  /** PreEnqueue: the first plugin that does not return success blocks the pod. */
  public Status runPreEnqueuePlugins(Pod pod) {
    for (PreEnqueuePlugin pl : preEnqueue) {
      Status s = Status.orSuccess(pl.preEnqueue(pod));
      if (!s.isSuccess()) return s.withPlugin(pl.name());
    }
    return Status.SUCCESS;
  }

  /** QueueSort's order. */
  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    return queueSort.less(a, b);
  }

  // ---------------------------------------------------------------- filter

  /**
   * PreFilter: runs every plugin; SKIP marks the plugin's Filter skipped for this cycle; an
   * UNSCHEDULABLE_AND_UNRESOLVABLE status stops at once, an UNSCHEDULABLE one is returned after the
   * others ran (preemption may still help); a node restriction that leaves no node is
   * "node(s) didn't satisfy plugin X".
   */
  public Status runPreFilterPlugins(CycleState state, Pod pod) {
    Status result = Status.SUCCESS;
    List<String> restricting = new ArrayList<>();
    for (PreFilterPlugin pl : preFilter) {
      Set<String> before = state.restrictedNodes() == null ? null : new HashSet<>(state.restrictedNodes());
      Status s;
      try {
        s = Status.orSuccess(pl.preFilter(state, pod));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (s.isSkip()) {
        state.skipFilterPlugins().add(pl.name());
        continue;
      }
      if (!s.isSuccess()) {
        s = s.withPlugin(pl.name());
        if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) return s;
        if (s.code() == Status.Code.UNSCHEDULABLE) {
          result = s;
          continue;
        }
        return new Status(Status.Code.ERROR, List.of("running PreFilter plugin \"" + pl.name() + "\": " + s.message()), pl.name());
      }
      if (state.restrictedNodes() != null && !state.restrictedNodes().equals(before)) {
        restricting.add(pl.name());
        if (state.restrictedNodes().isEmpty()) {
          String msg = restricting.size() == 1
              ? "node(s) didn't satisfy plugin " + restricting.get(0)
              : "node(s) didn't satisfy plugin(s) " + restricting + " simultaneously";
          return new Status(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(msg), restricting.get(restricting.size() - 1));
        }
      }
    }
    long mask = 0;
    for (int i = 0; i < filter.length; i++) if (state.skipFilterPlugins().contains(filter[i].name())) mask |= 1L << i;
    state.skipFilterMask = mask;
    return result;
  }

  /** Filter on one node: the first plugin that rejects decides (its reasons are the node's). */
  public Status runFilterPlugins(CycleState state, Pod pod, NodeInfo node) {
    long skip = state.skipFilterMask;
    for (int i = 0; i < filter.length; i++) {
      if ((skip & (1L << i)) != 0) continue;
      FilterPlugin pl = filter[i];
      Status s;
      try {
        s = pl.filter(state, pod, node);
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (s == null || s.isSuccess()) continue;
      if (s.isRejected()) return s.withPlugin(pl.name());
      return new Status(Status.Code.ERROR, List.of("running \"" + pl.name() + "\" filter plugin: " + s.message()), pl.name());
    }
    return Status.SUCCESS;
  }

  /**
   * Every Filter plugin's verdict on one node, without stopping at the first rejection (for the
   * explanation); a skipped plugin's entry is {@link Status#SKIP}.
   */
  public Status[] runAllFilterPlugins(CycleState state, Pod pod, NodeInfo node) {
    Status[] out = new Status[filter.length];
    for (int i = 0; i < filter.length; i++) {
      if ((state.skipFilterMask & (1L << i)) != 0) {
        out[i] = Status.SKIP.withPlugin(filter[i].name());
        continue;
      }
      Status s;
      try {
        s = Status.orSuccess(filter[i].filter(state, pod, node));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      out[i] = s.withPlugin(filter[i].name());
    }
    return out;
  }

  /**
   * Filter with the node's nominated pods (priority ≥ the pod's) counted as running: a pod must
   * fit both with them and, if they were added, without them (RunFilterPluginsWithNominatedPods).
   */
  public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo node) {
    Nominator nominator = handle.nominator();
    List<PodInfo> nominated = nominator.isEmpty() ? List.of() : nominator.forNode(node.name());
    if (nominated.isEmpty()) return runFilterPlugins(state, pod, node);
    int prio = state.podInfo() == null ? (pod.spec.priority == null ? 0 : pod.spec.priority) : state.podInfo().priority();
    String self = state.podInfo() == null ? null : state.podInfo().key();
    CycleState withState = null;
    NodeInfo withNode = null;
    for (PodInfo p : nominated) {
      if (p.priority() < prio || p.key().equals(self)) continue;
      if (withState == null) {
        withState = state.copy();
        withNode = node.copy();
      }
      withNode.addPod(p);
      Status s = runPreFilterExtensionAddPod(withState, pod, p, withNode);
      if (!s.isSuccess()) return s;
    }
    if (withState == null) return runFilterPlugins(state, pod, node);
    Status first = runFilterPlugins(withState, pod, withNode);
    if (!first.isSuccess()) return first;
    return runFilterPlugins(state, pod, node);
  }

  public Status runPreFilterExtensionAddPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node) {
    for (PreFilterPlugin pl : preFilter) {
      if (state.skipFilterPlugins().contains(pl.name())) continue;
      PreFilterPlugin.PreFilterExtensions ext = pl.preFilterExtensions();
      if (ext == null) continue;
      Status s = Status.orSuccess(ext.addPod(state, podToSchedule, podToAdd, node));
      if (!s.isSuccess()) return Status.error("running AddPod on PreFilter plugin \"" + pl.name() + "\": " + s.message());
    }
    return Status.SUCCESS;
  }

  public Status runPreFilterExtensionRemovePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node) {
    for (PreFilterPlugin pl : preFilter) {
      if (state.skipFilterPlugins().contains(pl.name())) continue;
      PreFilterPlugin.PreFilterExtensions ext = pl.preFilterExtensions();
      if (ext == null) continue;
      Status s = Status.orSuccess(ext.removePod(state, podToSchedule, podToRemove, node));
      if (!s.isSuccess()) return Status.error("running RemovePod on PreFilter plugin \"" + pl.name() + "\": " + s.message());
    }
    return Status.SUCCESS;
  }

  /**
   * PostFilter: the first plugin that succeeds wins; otherwise the rejection reasons of all are
   * joined (DefaultPreemption's "preemption: ..." message), keeping the last nominating result.
   */
  public PostFilterPlugin.Result runPostFilterPlugins(CycleState state, Pod pod, NodeToStatus filtered) {
    String nominated = null;
    List<String> reasons = new ArrayList<>();
    String rejector = null;
    for (PostFilterPlugin pl : postFilter) {
      PostFilterPlugin.Result r;
      try {
        r = pl.postFilter(state, pod, filtered);
      } catch (RuntimeException e) {
        r = PostFilterPlugin.Result.of(Status.error(String.valueOf(e.getMessage())));
      }
      Status s = Status.orSuccess(r.status());
      if (s.isSuccess()) return new PostFilterPlugin.Result(r.nominatedNodeName(), s);
      if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) return new PostFilterPlugin.Result(r.nominatedNodeName(), s.withPlugin(pl.name()));
      if (!s.isRejected()) return PostFilterPlugin.Result.of(s.withPlugin(pl.name()));
      if (r.nominatedNodeName() != null) nominated = r.nominatedNodeName();
      reasons.addAll(s.reasons());
      if (rejector == null) rejector = pl.name();
    }
    return new PostFilterPlugin.Result(nominated, new Status(Status.Code.UNSCHEDULABLE, reasons, rejector));
  }

  public boolean hasPostFilterPlugins() {
    return !postFilter.isEmpty();
  }

  // ---------------------------------------------------------------- score

  /** PreScore; SKIP marks the plugin's Score skipped for this cycle. */
  public Status runPreScorePlugins(CycleState state, Pod pod, List<NodeInfo> feasible) {
    for (PreScorePlugin pl : preScore) {
      Status s;
      try {
        s = Status.orSuccess(pl.preScore(state, pod, feasible));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (s.isSkip()) {
        state.skipScorePlugins().add(pl.name());
        continue;
      }
      if (!s.isSuccess()) return Status.error("running PreScore plugin \"" + pl.name() + "\": " + s.message());
    }
    long mask = 0;
    for (int i = 0; i < score.length; i++) if (state.skipScorePlugins().contains(score[i].name())) mask |= 1L << i;
    state.skipScoreMask = mask;
    return Status.SUCCESS;
  }

  /**
   * Score, NormalizeScore and weights over {@code n} feasible nodes. The result is valid until the
   * next call (the buffers are reused); read it through {@link #scores()}.
   *
   * @throws IllegalStateException when a plugin fails or returns a score outside [0, 100] after
   *     normalizing (an ERROR for the cycle)
   */
  public Scores runScorePlugins(CycleState state, Pod pod, NodeInfo[] nodes, int n) {
    Scores sc = scores;
    sc.prepare(score.length, nodes, n);
    long skip = state.skipScoreMask;
    int active = 0;
    for (int p = 0; p < score.length; p++) {
      if ((skip & (1L << p)) != 0) {
        sc.skipped[p] = true;
        java.util.Arrays.fill(sc.raw[p], 0, n, 0L);
      } else {
        active++;
      }
    }
    if (active > 0) {
      final long[][] raw = sc.raw;
      java.util.function.IntPredicate body = i -> {
        NodeInfo node = nodes[i];
        for (int p = 0; p < score.length; p++) {
          if ((skip & (1L << p)) != 0) continue;
          raw[p][i] = score[p].score(state, pod, node);
        }
        return true;
      };
      if (n < 32) for (int i = 0; i < n; i++) body.test(i);
      else handle.parallelizer().until(n, body);
    }
    for (int p = 0; p < score.length; p++) {
      System.arraycopy(sc.raw[p], 0, sc.normalized[p], 0, n);
      if (sc.skipped[p]) continue;
      ScorePlugin pl = score[p];
      if (pl.normalizes()) {
        scoreList.reset(nodes, sc.normalized[p], n);
        pl.normalizeScore(state, pod, scoreList);
      }
      long w = scoreWeights[p];
      long[] norm = sc.normalized[p];
      for (int i = 0; i < n; i++) {
        long v = norm[i];
        if (v > Params.MAX_NODE_SCORE || v < Params.MIN_NODE_SCORE) {
          throw new IllegalStateException("plugin \"" + pl.name() + "\" returns an invalid score " + v
              + ", it should in the range of [0, 100] after normalizing");
        }
        sc.totals[i] += v * w;
      }
    }
    return sc;
  }

  /** The last {@link #runScorePlugins} result. */
  public Scores scores() {
    return scores;
  }

  // ---------------------------------------------------------------- reserve, permit, bind

  /** Reserve in order; on the first failure returns it (the caller then runs Unreserve). */
  public Status runReservePluginsReserve(CycleState state, Pod pod, String node) {
    for (ReservePlugin pl : reserve) {
      Status s;
      try {
        s = Status.orSuccess(pl.reserve(state, pod, node));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (!s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name());
        return new Status(Status.Code.ERROR, List.of("running Reserve plugin \"" + pl.name() + "\": " + s.message()), pl.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Unreserve in reverse order; never fails. */
  public void runReservePluginsUnreserve(CycleState state, Pod pod, String node) {
    for (int i = reserve.size() - 1; i >= 0; i--) {
      try {
        reserve.get(i).unreserve(state, pod, node);
      } catch (RuntimeException ignored) {
        // Unreserve must not fail; a broken plugin must not stop the others from undoing.
      }
    }
  }

  /**
   * Permit: a rejection stops at once; WAIT from any plugin parks the pod in {@link WaitingPods}
   * (under {@code podKey}) for the shortest timeout asked, and the result's status is WAIT.
   */
  public PermitPlugin.Result runPermitPlugins(CycleState state, Pod pod, String node, String podKey) {
    Duration wait = null;
    for (PermitPlugin pl : permit) {
      PermitPlugin.Result r;
      try {
        r = pl.permit(state, pod, node);
      } catch (RuntimeException e) {
        r = new PermitPlugin.Result(Status.error(String.valueOf(e.getMessage())), Duration.ZERO);
      }
      Status s = Status.orSuccess(r == null ? null : r.status());
      if (s.isSuccess()) continue;
      if (s.code() == Status.Code.WAIT) {
        Duration t = r.timeout().compareTo(Params.MAX_PERMIT_TIMEOUT) > 0 ? Params.MAX_PERMIT_TIMEOUT : r.timeout();
        wait = wait == null || t.compareTo(wait) < 0 ? t : wait;
        continue;
      }
      if (s.isRejected()) return new PermitPlugin.Result(s.withPlugin(pl.name()), Duration.ZERO);
      return new PermitPlugin.Result(new Status(Status.Code.ERROR,
          List.of("running Permit plugin \"" + pl.name() + "\": " + s.message()), pl.name()), Duration.ZERO);
    }
    if (wait != null) {
      handle.waitingPods().add(podKey);
      return new PermitPlugin.Result(Status.of(Status.Code.WAIT), wait);
    }
    return PermitPlugin.Result.allow();
  }

  public Status runPreBindPlugins(CycleState state, Pod pod, String node) {
    for (PreBindPlugin pl : preBind) {
      Status s;
      try {
        s = Status.orSuccess(pl.preBind(state, pod, node));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (!s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name());
        return new Status(Status.Code.ERROR, List.of("running PreBind plugin \"" + pl.name() + "\": " + s.message()), pl.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Bind: the first plugin that does not SKIP binds. */
  public Status runBindPlugins(CycleState state, Pod pod, String node) {
    for (BindPlugin pl : bind) {
      Status s;
      try {
        s = Status.orSuccess(pl.bind(state, pod, node));
      } catch (RuntimeException e) {
        s = Status.error(String.valueOf(e.getMessage()));
      }
      if (s.isSkip()) continue;
      if (!s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(pl.name());
        return new Status(Status.Code.ERROR, List.of("running Bind plugin \"" + pl.name() + "\": " + s.message()), pl.name());
      }
      return Status.SUCCESS;
    }
    return Status.error("all bind plugins skipped the pod");
  }

  public void runPostBindPlugins(CycleState state, Pod pod, String node) {
    for (PostBindPlugin pl : postBind) {
      try {
        pl.postBind(state, pod, node);
      } catch (RuntimeException ignored) {
        // PostBind is informational.
      }
    }
  }

  // ---------------------------------------------------------------- introspection

  public String schedulerName() {
    return schedulerName;
  }

  /** The profile's percentageOfNodesToScore, or null to use the scheduler-wide value. */
  public Integer percentageOfNodesToScore() {
    return percentageOfNodesToScore;
  }

  public Handle handle() {
    return handle;
  }

  public boolean hasFilterPlugins() {
    return filter.length > 0;
  }

  public boolean hasScorePlugins() {
    return score.length > 0;
  }

  /** Names of the plugins at one extension point, in the order they run. */
  public List<String> pluginNames(ExtensionPoint p) {
    List<String> out = new ArrayList<>();
    for (Plugin pl : byPoint.get(p)) out.add(pl.name());
    return out;
  }

  public List<String> filterPluginNames() {
    return pluginNames(ExtensionPoint.FILTER);
  }

  public List<String> scorePluginNames() {
    return pluginNames(ExtensionPoint.SCORE);
  }

  public long scoreWeight(int scorePluginIndex) {
    return scoreWeights[scorePluginIndex];
  }

  public boolean scorePluginNormalizes(int scorePluginIndex) {
    return score[scorePluginIndex].normalizes();
  }

  /** Every plugin of the profile by name. */
  public Map<String, Plugin> plugins() {
    return Collections.unmodifiableMap(plugins);
  }

  /** The events after which pods rejected by {@code plugin} are retried (every event when it registers none). */
  public List<ClusterEvent> eventsFor(String plugin) {
    Plugin p = plugins.get(plugin);
    if (p instanceof EnqueueExtensions e) return e.eventsToRegister();
    return List.of(ClusterEvent.UNSCHEDULABLE_TIMEOUT);
  }
}
