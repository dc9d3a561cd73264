package kubelab.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.core.Pod;
import kubelab.scheduler.cache.SchedulerCache;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.FitError;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeToStatus;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.Scores;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.Status;

/**
 * The scheduling algorithm of one cycle (kube-scheduler's schedulePod in schedule_one.go): from a
 * pod to a node, or to a {@link FitError} saying why none fits.
 *
 * <pre>
 * 1. refresh the snapshot from the cache (only the nodes that changed are copied)
 * 2. PreFilter; a rejection here fails every node with one message
 * 3. the nominated node first (a preemptor returning to the room it made)
 * 4. Filter in parallel over the nodes, starting where the last cycle stopped, until
 *    numFeasibleNodesToFind nodes fit (percentageOfNodesToScore; all below 100 nodes)
 * 5. one feasible node: done; several: PreScore, Score, NormalizeScore, weights
 * 6. the highest total wins; ties are broken uniformly at random (reservoir sampling)
 * </pre>
 * Used by the scheduling thread only (its buffers and start index are not shared).
 */
final class SchedulingAlgorithm {
  private final SchedulerCache cache;
  private final Snapshot snapshot;
  private final Nominator nominator;
  private final Parallelizer parallelizer;
  private final int globalPercentage;
  private final SplittableRandom random;
  private int nextStartNodeIndex;
  // Per-cycle buffers, reused.
  private NodeInfo[] feasibleBuf = new NodeInfo[0];
  private Status[] statusBuf = new Status[0];

  SchedulingAlgorithm(SchedulerCache cache, Snapshot snapshot, Nominator nominator, Parallelizer parallelizer,
      int globalPercentage, SplittableRandom random) {
    this.cache = cache;
    this.snapshot = snapshot;
    this.nominator = nominator;
    this.parallelizer = parallelizer;
    this.globalPercentage = globalPercentage;
    this.random = random;
  }


  /**
   * Finds the node for one pod: snapshot, filter, score, select.
   *
   * @throws FitError when no node fits
   * @throws IllegalStateException for "no nodes available to schedule pods" and plugin errors
   */
  ScheduleResult schedulePod(Framework fwk, CycleState state, PodInfo pi) {
    cache.updateSnapshot(snapshot);
    if (snapshot.numNodes() == 0) throw new IllegalStateException(SchedulerReasons.NO_NODES_AVAILABLE_TO_SCHEDULE);
    NodeToStatus diagnosis = new NodeToStatus();
    LinkedHashSet<String> rejectors = new LinkedHashSet<>();
    int feasible = findNodesThatFitPod(fwk, state, pi, diagnosis, rejectors);
    int evaluated = feasible + diagnosis.size();
    if (feasible == 0) throw new FitError(pi.pod(), snapshot.numNodes(), diagnosis, "", rejectors);
    if (feasible == 1) return new ScheduleResult(feasibleBuf[0].name(), evaluated, 1);
    Status s = fwk.runPreScorePlugins(state, pi.pod(), Arrays.asList(feasibleBuf).subList(0, feasible));
    if (!s.isSuccess()) throw new IllegalStateException(s.message());
    Scores scores = fwk.runScorePlugins(state, pi.pod(), feasibleBuf, feasible);
    return new ScheduleResult(selectHost(scores), evaluated, feasible);
  }

  private int findNodesThatFitPod(Framework fwk, CycleState state, PodInfo pi, NodeToStatus diagnosis, LinkedHashSet<String> rejectors) {
    Pod pod = pi.pod();
    Status pre = fwk.runPreFilterPlugins(state, pod);
    if (!pre.isSuccess()) {
      if (!pre.isRejected()) throw new IllegalStateException(pre.message());
      diagnosis.setAbsentNodesStatus(pre);
      if (pre.plugin() != null) rejectors.add(pre.plugin());
      throw new FitError(pod, snapshot.numNodes(), diagnosis, pre.message(), rejectors);
    }
    String nominated = pod.status != null && pod.status.nominatedNodeName != null && !pod.status.nominatedNodeName.isEmpty()
        ? pod.status.nominatedNodeName : nominator.nodeOf(pi.key());
    if (nominated != null) {
      NodeInfo n = snapshot.get(nominated);
      if (n != null) {
        int f = findNodesThatPassFilters(fwk, state, pod, List.of(n), diagnosis, rejectors, false);
        if (f > 0) return f;
      }
    }
    List<NodeInfo> nodes = snapshot.list();
    if (state.restrictedNodes() != null) {
      List<NodeInfo> r = new ArrayList<>();
      for (NodeInfo n : nodes) if (state.restrictedNodes().contains(n.name())) r.add(n);
      nodes = r;
      diagnosis.setAbsentNodesStatus(Status.unresolvable("node is filtered out by the prefilter result"));
    }
    return findNodesThatPassFilters(fwk, state, pod, nodes, diagnosis, rejectors, true);
  }

  /**
   * How many feasible nodes are enough (numFeasibleNodesToFind): all below 100 nodes; otherwise
   * percentageOfNodesToScore (profile, else global; 0 = adaptive 50 − nodes/125, at least 5%),
   * but at least 100.
   */
  static int numFeasibleNodesToFind(Integer profilePercentage, int globalPercentage, int numAllNodes) {
    if (numAllNodes < Params.MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
    int pct = profilePercentage != null ? profilePercentage : globalPercentage;
    if (pct == 0) {
      pct = 50 - numAllNodes / 125;
      if (pct < Params.MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = Params.MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
    }
    int n = (int) ((long) numAllNodes * pct / 100);
    return Math.max(n, Params.MIN_FEASIBLE_NODES_TO_FIND);
  }

  private int findNodesThatPassFilters(Framework fwk, CycleState state, Pod pod, List<NodeInfo> nodes,
      NodeToStatus diagnosis, LinkedHashSet<String> rejectors, boolean rotate) {
    int all = nodes.size();
    if (all == 0) return 0;
    int want = numFeasibleNodesToFind(fwk.percentageOfNodesToScore(), globalPercentage, all);
    if (feasibleBuf.length < want) feasibleBuf = new NodeInfo[want];
    if (statusBuf.length < all) statusBuf = new Status[all];
    int start = rotate ? nextStartNodeIndex % all : 0;
    if (!fwk.hasFilterPlugins()) {
      for (int i = 0; i < want; i++) feasibleBuf[i] = nodes.get((start + i) % all);
      if (rotate) nextStartNodeIndex = (start + want) % all;
      return want;
    }
    final NodeInfo[] feasible = feasibleBuf;
    final Status[] statuses = statusBuf;
    final AtomicInteger count = new AtomicInteger();
    int processed = parallelizer.until(all, i -> {
      NodeInfo n = nodes.get((start + i) % all);
      Status s = fwk.runFilterPluginsWithNominatedPods(state, pod, n);
      if (s.isSuccess()) {
        int idx = count.incrementAndGet();
        if (idx > want) return false;
        feasible[idx - 1] = n;
        return idx < want;
      }
      statuses[i] = s;
      return true;
    });
    String error = null;
    for (int i = 0; i < processed; i++) {
      Status s = statuses[i];
      if (s == null) continue;
      statuses[i] = null;
      NodeInfo n = nodes.get((start + i) % all);
      if (s.code() == Status.Code.ERROR) error = s.message();
      diagnosis.set(n.name(), s);
      if (s.plugin() != null) rejectors.add(s.plugin());
    }
    if (error != null) throw new IllegalStateException(error);
    int f = Math.min(count.get(), want);
    if (rotate) nextStartNodeIndex = (start + f + diagnosis.size()) % all;
    return f;
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling), as selectHost does. */
  private String selectHost(Scores scores) {
    int best = 0;
    long max = scores.total(0);
    int ties = 1;
    for (int i = 1; i < scores.size(); i++) {
      long t = scores.total(i);
      if (t > max) {
        max = t;
        best = i;
        ties = 1;
      } else if (t == max) {
        ties++;
        if (random.nextInt(ties) == 0) best = i;
      }
    }
    return scores.node(best).name();
  }
}
