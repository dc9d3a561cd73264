package kubelab.scheduler.explain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.scheduler.Params;
import kubelab.scheduler.Scheduler;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.config.Profile;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.scheduler.framework.ApiWriter;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.FitError;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeToStatus;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.PluginFactory;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PostFilterPlugin;
import kubelab.scheduler.framework.Scores;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.framework.WaitingPods;
import kubelab.scheduler.plugins.PluginRegistry;
import kubelab.scheduler.util.ObjectCopies;

/**
 * Replays one scheduling decision and records everything: the engine behind
 * {@code lab explain scheduling POD} (built from nodes and pods listed through the API) and the
 * REPL's in-process explanation (built from the running scheduler's cache snapshot).
 *
 * <p>It runs the pod's profile exactly as a cycle does, with three differences a learner should
 * know (they are also added as notes): every Filter plugin runs on every node, not just up to the
 * first rejection, so each verdict can be shown; all feasible nodes are scored, while the
 * scheduler itself stops looking after percentageOfNodesToScore of them in clusters over 100
 * nodes; and preemption is a dry run: its writes are recorded as sentences, never sent. A pod
 * that is already bound is explained as if it were pending again on the cluster without it.
 * Stateless between calls; not thread-safe (one explanation at a time per instance).
 */
public final class Explainer {
  private final SchedulerConfiguration config;
  private final Map<String, PluginFactory> registry;
  private final ClusterObjects objects;

  public Explainer(SchedulerConfiguration config, Map<String, PluginFactory> registry, ClusterObjects objects) {
    this.config = config;
    this.registry = registry;
    this.objects = objects;
  }

  public Explainer() {
    this(SchedulerConfiguration.defaults(), PluginRegistry.inTree(), ClusterObjects.NONE);
  }

  /** Explains {@code pod} against these nodes and (bound) pods. */
  public Explanation explain(Pod pod, List<Node> nodes, List<Pod> pods) {
    List<Pod> others = new ArrayList<>();
    String podKey = key(pod);
    for (Pod p : pods) if (!key(p).equals(podKey)) others.add(p);
    return explain(pod, Snapshot.of(nodes, others));
  }

  /** Explains {@code pod} against a snapshot (the scheduler's, for the REPL). The snapshot is not modified. */
  public Explanation explain(Pod pod, Snapshot source) {
    List<String> notes = new ArrayList<>();
    String podKey = key(pod);
    Pod pending = pod;
    Snapshot snapshot = copyWithout(source, podKey);
    if (pod.spec.nodeName != null && !pod.spec.nodeName.isEmpty()) {
      notes.add("the pod is bound to " + pod.spec.nodeName + "; this replays the decision on the cluster as it is now, without the pod");
      pending = ObjectCopies.withNodeName(pod, null);
    }
    String schedulerName = pod.spec.schedulerName == null || pod.spec.schedulerName.isEmpty()
        ? Params.DEFAULT_SCHEDULER_NAME : pod.spec.schedulerName;
    Profile profile = config.profile(schedulerName);
    if (profile == null) {
      notes.add("no scheduler profile is named \"" + schedulerName + "\": no scheduler looks at this pod, so it stays Pending with no events at all");
      return new Explanation(podKey, null, SchedulerReasons.KUBERNETES_VERSION, snapshot.numNodes(), List.of(), List.of(),
          List.of(), 0, null, List.of(), null, "no scheduler handles schedulerName \"" + schedulerName + "\"", null, List.of(), notes);
    }
    DryRun dry = new DryRun();
    try (Parallelizer par = new Parallelizer(1)) {
      FrameworkHandle h = new FrameworkHandle(snapshot, objects, dry, Clock.systemUTC(), new Nominator(), par, new WaitingPods());
      Framework fwk = new Framework(profile, registry, h);
      return run(fwk, snapshot, pending, podKey, schedulerName, dry, notes);
    }
  }

  private Explanation run(Framework fwk, Snapshot snapshot, Pod pod, String podKey, String schedulerName, DryRun dry, List<String> notes) {
    PodInfo pi = new PodInfo(pod);
    CycleState state = new CycleState(pi);
    List<String> filterNames = fwk.filterPluginNames();
    List<String> scoreNames = fwk.scorePluginNames();
    List<Explanation.ScorePluginInfo> scoreInfo = new ArrayList<>();
    for (int i = 0; i < scoreNames.size(); i++) scoreInfo.add(new Explanation.ScorePluginInfo(scoreNames.get(i), fwk.scoreWeight(i), fwk.scorePluginNormalizes(i)));
    int all = snapshot.numNodes();
    if (all == 0) {
      return new Explanation(podKey, schedulerName, SchedulerReasons.KUBERNETES_VERSION, 0, filterNames, scoreInfo, List.of(), 0,
          null, List.of(), null, SchedulerReasons.NO_NODES_AVAILABLE_TO_SCHEDULE, SchedulerReasons.NO_NODES_AVAILABLE_TO_SCHEDULE, List.of(), notes);
    }
    if (all > Params.MIN_FEASIBLE_NODES_TO_FIND) {
      int n = Scheduler.numFeasibleNodesToFind(fwk.percentageOfNodesToScore(), config.percentageOfNodesToScore, all);
      if (n < all) notes.add("every node is evaluated here; the scheduler itself stops after " + n + " feasible nodes (percentageOfNodesToScore), so it may pick another of the best-scoring nodes");
    }

    // PreFilter.
    Status pre = fwk.runPreFilterPlugins(state, pod);
    List<Explanation.NodeResult> results = new ArrayList<>();
    NodeToStatus diagnosis = new NodeToStatus();
    List<NodeInfo> feasible = new ArrayList<>();
    if (!pre.isSuccess()) {
      for (NodeInfo n : snapshot.list()) {
        results.add(new Explanation.NodeResult(n.name(), false, List.of(), pre.plugin(), pre.reasons(), List.of(), null));
      }
      diagnosis.setAbsentNodesStatus(pre);
      notes.add("PreFilter of " + pre.plugin() + " rejected the pod before any node was looked at");
      FitError fe = new FitError(pod, all, diagnosis, pre.message(), null);
      return finishUnschedulable(fwk, state, pod, podKey, schedulerName, filterNames, scoreInfo, results, fe, dry, notes, all);
    }

    // Filter, every plugin on every node.
    java.util.Set<String> restricted = state.restrictedNodes();
    for (NodeInfo n : snapshot.list()) {
      if (restricted != null && !restricted.contains(n.name())) {
        Status s = Status.unresolvable("node is filtered out by the prefilter result");
        results.add(new Explanation.NodeResult(n.name(), false, List.of(), "PreFilter", s.reasons(), List.of(), null));
        diagnosis.set(n.name(), s);
        continue;
      }
      Status[] verdicts = fwk.runAllFilterPlugins(state, pod, n);
      List<Explanation.FilterVerdict> fv = new ArrayList<>();
      Status first = null;
      for (Status v : verdicts) {
        fv.add(new Explanation.FilterVerdict(v.plugin(), v.code().kubernetesName(), v.reasons()));
        if (first == null && !v.isSuccess() && !v.isSkip()) first = v;
      }
      if (first == null) {
        feasible.add(n);
        results.add(new Explanation.NodeResult(n.name(), true, fv, null, List.of(), List.of(), null));
      } else {
        diagnosis.set(n.name(), first);
        results.add(new Explanation.NodeResult(n.name(), false, fv, first.plugin(), first.reasons(), List.of(), null));
      }
    }
    if (feasible.isEmpty()) {
      FitError fe = new FitError(pod, all, diagnosis, "", null);
      return finishUnschedulable(fwk, state, pod, podKey, schedulerName, filterNames, scoreInfo, results, fe, dry, notes, all);
    }

    // Score every feasible node.
    NodeInfo[] arr = feasible.toArray(new NodeInfo[0]);
    Status ps = fwk.runPreScorePlugins(state, pod, feasible);
    if (!ps.isSuccess()) throw new IllegalStateException(ps.message());
    Scores sc = fwk.runScorePlugins(state, pod, arr, arr.length);
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < arr.length; i++) index.put(arr[i].name(), i);
    long best = Long.MIN_VALUE;
    for (int i = 0; i < sc.size(); i++) best = Math.max(best, sc.total(i));
    List<String> tied = new ArrayList<>();
    List<Explanation.NodeResult> scored = new ArrayList<>();
    for (Explanation.NodeResult r : results) {
      Integer i = index.get(r.node());
      if (i == null) {
        scored.add(r);
        continue;
      }
      List<Explanation.ScoreEntry> entries = new ArrayList<>();
      for (int p = 0; p < scoreNames.size(); p++) {
        long norm = sc.normalized(p, i);
        entries.add(new Explanation.ScoreEntry(scoreNames.get(p), sc.raw(p, i), norm, fwk.scoreWeight(p), norm * fwk.scoreWeight(p), sc.skipped(p)));
      }
      if (sc.total(i) == best) tied.add(r.node());
      scored.add(new Explanation.NodeResult(r.node(), true, r.filters(), null, List.of(), entries, sc.total(i)));
    }
    String winner = tied.get(0);
    String deciding = null;
    String why;
    if (arr.length == 1) {
      why = winner + " is the only node that passes every filter";
    } else {
      // Runner-up: the best total below the winner's (or another tied node).
      Explanation.NodeResult w = find(scored, winner);
      Explanation.NodeResult runnerUp = null;
      for (Explanation.NodeResult r : scored) {
        if (!r.feasible() || r.node().equals(winner)) continue;
        if (runnerUp == null || r.total() > runnerUp.total()) runnerUp = r;
      }
      long bestDiff = 0;
      for (int p = 0; p < scoreNames.size(); p++) {
        long d = w.scores().get(p).weighted() - runnerUp.scores().get(p).weighted();
        if (d > bestDiff) {
          bestDiff = d;
          deciding = scoreNames.get(p);
        }
      }
      if (tied.size() > 1) {
        why = tied.size() + " nodes tie at " + best + " (" + String.join(", ", tied) + "); the scheduler picks one of them at random";
      } else {
        why = winner + " has the highest total, " + best + " (runner-up " + runnerUp.node() + ": " + runnerUp.total() + ")"
            + (deciding == null ? "" : "; the largest difference is " + deciding + " (+" + bestDiff + " weighted)");
      }
    }
    return new Explanation(podKey, schedulerName, SchedulerReasons.KUBERNETES_VERSION, all, filterNames, scoreInfo, scored,
        feasible.size(), winner, tied, deciding, why, null, List.of(), notes);
  }

  private Explanation finishUnschedulable(Framework fwk, CycleState state, Pod pod, String podKey, String schedulerName,
      List<String> filterNames, List<Explanation.ScorePluginInfo> scoreInfo, List<Explanation.NodeResult> results,
      FitError fe, DryRun dry, List<String> notes, int all) {
    if (fwk.hasPostFilterPlugins()) {
      PostFilterPlugin.Result r = fwk.runPostFilterPlugins(state, pod, fe.nodeToStatus());
      if (!r.status().isSuccess()) fe.setPostFilterMsg(r.status().message());
      else if (r.nominatedNodeName() != null) dry.actions.add(0, "nominate the pod to " + r.nominatedNodeName() + " (status.nominatedNodeName) and schedule it in a later cycle");
    }
    String why = "no node passes every filter";
    return new Explanation(podKey, schedulerName, SchedulerReasons.KUBERNETES_VERSION, all, filterNames, scoreInfo, results, 0,
        null, List.of(), null, why, fe.message(), List.copyOf(dry.actions), notes);
  }

  private static Explanation.NodeResult find(List<Explanation.NodeResult> l, String node) {
    for (Explanation.NodeResult r : l) if (r.node().equals(node)) return r;
    throw new IllegalStateException("no result for " + node);
  }

  private static String key(Pod p) {
    return (p.metadata.namespace == null ? "default" : p.metadata.namespace) + "/" + p.metadata.name;
  }

  /** A copy of the snapshot's nodes without the pod with this key. */
  private static Snapshot copyWithout(Snapshot source, String podKey) {
    Snapshot s = new Snapshot();
    for (NodeInfo n : source.list()) {
      NodeInfo c = n.copy();
      for (PodInfo p : new ArrayList<>(c.pods())) if (p.key().equals(podKey)) c.removePod(p);
      s.put(c);
    }
    s.rebuildLists();
    return s;
  }

  /** Records the writes preemption would make, as sentences, instead of making them. */
  private static final class DryRun implements ApiWriter {
    final List<String> actions = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void bind(Pod pod, String nodeName) {
      actions.add("bind " + key(pod) + " to " + nodeName);
    }

    @Override
    public void event(Pod regarding, String type, String reason, String action, String message) {
      actions.add("event on " + key(regarding) + ": " + reason + " \"" + message + "\"");
    }

    @Override
    public void updatePodStatus(Pod pod, Condition condition, String nominatedNodeName) {
      if (condition != null) actions.add("set condition " + condition.type + "=" + condition.status + " (" + condition.reason + ") on " + key(pod));
      if (nominatedNodeName != null) actions.add(nominatedNodeName.isEmpty() ? "clear the nomination of " + key(pod) : "nominate " + key(pod) + " to " + nominatedNodeName);
    }

    @Override
    public void deletePod(Pod pod, long gracePeriodSeconds) {
      actions.add("evict " + key(pod) + " (priority " + (pod.spec.priority == null ? 0 : pod.spec.priority) + ") with a " + gracePeriodSeconds + "s grace period");
    }

    @Override
    public void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc) {
      actions.add("bind volume " + pv.metadata.name + " to claim " + pvc.metadata.name);
    }
  }
}
