package kubelab.scheduler.plugins.defaultpreemption;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.scheduler.Params;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.FitError;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.Handle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeToStatus;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PostFilterPlugin;
import kubelab.scheduler.framework.Status;

/**
 * DefaultPreemption (PostFilter): when a pod fits nowhere, find one node where evicting pods of
 * lower priority makes room, nominate the pod to it and delete the victims gracefully. The pod is
 * not bound now: it returns to the queue and is scheduled in a later cycle, possibly elsewhere if
 * room appears first (the seeds: "抢占者不会立即在新节点调度，而是会在下一个调度周期处理").
 *
 * <ol>
 *   <li>Eligibility: {@code preemptionPolicy: Never} never preempts; a pod already nominated to a
 *       node where a lower-priority victim is still terminating waits for it.
 *   <li>Candidates: only nodes rejected as UNSCHEDULABLE (taints, selectors, affinity are
 *       unresolvable: evicting pods cannot help). For each, dry-run: remove every lower-priority
 *       pod; if the pod still does not fit, the node is out; else add them back one by one, most
 *       important first (PDB-protected ones first), keeping each that still lets the pod fit.
 *       The rest are the victims. At least max(10% of nodes, 100) nodes are tried from a random
 *       offset, stopping once enough candidates are found.
 *   <li>Choice, each criterion breaking the previous one's ties: fewest PDB violations; lowest
 *       highest-priority victim; smallest sum of victim priorities; fewest victims; latest start
 *       of the highest-priority victims; first found.
 *   <li>Action: each victim gets the DisruptionTarget condition, a "Preempted" event, and a
 *       graceful delete; lower-priority pods nominated to that node lose their nomination.
 * </ol>
 * PodDisruptionBudgets are respected best-effort: their {@code status.disruptionsAllowed}, or,
 * while no disruption controller maintains it, a value computed from the spec and the pods.
 */
public final class DefaultPreemption implements PostFilterPlugin {
  public static final String NAME = "DefaultPreemption";

  private final Handle handle;
  private final int minCandidateNodesPercentage;
  private final int minCandidateNodesAbsolute;
  private final Random random;

  /** Victims on one node and how many of them a PDB protects. */
  public record Candidate(String node, List<PodInfo> victims, int pdbViolations) {}

  public DefaultPreemption(Map<String, Object> args, Handle handle) {
    this.handle = handle;
    this.minCandidateNodesPercentage = intArg(args, "minCandidateNodesPercentage", Params.MIN_CANDIDATE_NODES_PERCENTAGE, 0, 100);
    this.minCandidateNodesAbsolute = intArg(args, "minCandidateNodesAbsolute", Params.MIN_CANDIDATE_NODES_ABSOLUTE, 0, Integer.MAX_VALUE);
    if (minCandidateNodesPercentage == 0 && minCandidateNodesAbsolute == 0) {
      throw new IllegalArgumentException("minCandidateNodesPercentage and minCandidateNodesAbsolute cannot both be zero");
    }
    Object seed = args.get("randomSeed");
    this.random = new Random(seed == null ? 1 : Long.parseLong(seed.toString()));
  }

  private static int intArg(Map<String, Object> args, String k, int def, int min, int max) {
    Object o = args.get(k);
    if (o == null) return def;
    int v = Integer.parseInt(o.toString());
    if (v < min || v > max) throw new IllegalArgumentException(k + ": must be in [" + min + ", " + max + "]");
    return v;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result postFilter(CycleState state, Pod pod, NodeToStatus filtered) {
    Result r = preempt(state, pod, filtered);
    Status s = r.status();
    if (!s.isSuccess() && !s.message().isEmpty()) {
      return new Result(r.nominatedNodeName(), new Status(s.code(), List.of(SchedulerReasons.PREEMPTION_PREFIX + s.message()), NAME));
    }
    return r;
  }

  private Result preempt(CycleState state, Pod pod, NodeToStatus filtered) {
    PodInfo p = state.podInfo();
    // 1) Eligibility.
    String ineligible = notEligible(p, filtered);
    if (ineligible != null) return Result.of(Status.unschedulable(ineligible));

    // 2) Candidates.
    List<NodeInfo> all = handle.snapshot().list();
    List<NodeInfo> potential = filtered.nodesWithCode(handle.snapshot(), Status.Code.UNSCHEDULABLE);
    NodeToStatus statuses = new NodeToStatus();
    List<Candidate> candidates = potential.isEmpty() ? List.of() : dryRun(state, pod, potential, statuses);
    if (candidates.isEmpty()) {
      statuses.setAbsentNodesStatus(Status.unresolvable(SchedulerReasons.PREEMPTION_NOT_HELPFUL));
      FitError fe = new FitError(pod, all.size(), statuses, "", null);
      return new Result("", Status.unschedulable(fe.message()));
    }

    // 3) Choose, 4) act.
    Candidate best = pickOne(candidates);
    if (best == null) return Result.of(Status.unschedulable(SchedulerReasons.NO_CANDIDATE_NODE));
    prepare(best, p);
    return new Result(best.node(), Status.SUCCESS);
  }

  /** Why the pod may not preempt, or null (PodEligibleToPreemptOthers). */
  private String notEligible(PodInfo p, NodeToStatus filtered) {
    if ("Never".equals(p.pod().spec.preemptionPolicy)) return SchedulerReasons.PREEMPTION_POLICY_NEVER;
    String nominated = p.pod().status == null ? null : p.pod().status.nominatedNodeName;
    if (nominated != null && !nominated.isEmpty()) {
      if (filtered.get(nominated).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) return null;
      NodeInfo n = handle.snapshot().get(nominated);
      if (n != null) {
        for (PodInfo other : n.pods()) {
          if (other.priority() < p.priority() && other.isTerminating()) {
            return SchedulerReasons.PREEMPTION_TERMINATING_ON_NOMINATED;
          }
        }
      }
    }
    return null;
  }

  /** Max(10% of the potential nodes, 100), at most all of them (calculateNumCandidates). */
  int numCandidates(int nodes) {
    int n = nodes * minCandidateNodesPercentage / 100;
    if (n < minCandidateNodesAbsolute) n = minCandidateNodesAbsolute;
    return Math.min(n, nodes);
  }

  private List<Candidate> dryRun(CycleState state, Pod pod, List<NodeInfo> potential, NodeToStatus statuses) {
    int n = potential.size();
    int offset = random.nextInt(n);
    int want = numCandidates(n);
    List<Candidate> nonViolating = new ArrayList<>();
    List<Candidate> violating = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeInfo copy = potential.get((offset + i) % n).copy();
      CycleState stateCopy = state.copy();
      Victims v = selectVictimsOnNode(stateCopy, pod, copy);
      if (v.status.isSuccess() && !v.pods.isEmpty()) {
        Candidate c = new Candidate(copy.name(), v.pods, v.pdbViolations);
        (v.pdbViolations == 0 ? nonViolating : violating).add(c);
        if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= want) break;
        continue;
      }
      statuses.set(copy.name(), v.status.isSuccess() ? Status.error("expected at least one victim pod on node " + copy.name()) : v.status);
    }
    List<Candidate> out = new ArrayList<>(nonViolating);
    out.addAll(violating);
    return out;
  }

  private record Victims(List<PodInfo> pods, int pdbViolations, Status status) {}

  /**
   * The fewest, least important pods to remove from {@code node} (a copy, modified here) so the
   * pod fits (SelectVictimsOnNode).
   */
  private Victims selectVictimsOnNode(CycleState state, Pod pod, NodeInfo node) {
    Framework fwk = handle.framework();
    int prio = state.podInfo().priority();
    List<PodInfo> potential = new ArrayList<>();
    for (PodInfo other : new ArrayList<>(node.pods())) {
      if (other.priority() < prio) {
        potential.add(other);
        node.removePod(other);
        Status s = fwk.runPreFilterExtensionRemovePod(state, pod, other, node);
        if (!s.isSuccess()) return new Victims(List.of(), 0, s);
      }
    }
    if (potential.isEmpty()) {
      return new Victims(List.of(), 0, Status.unresolvable(SchedulerReasons.NO_PREEMPTION_VICTIMS));
    }
    Status fits = fwk.runFilterPluginsWithNominatedPods(state, pod, node);
    if (!fits.isSuccess()) return new Victims(List.of(), 0, fits);

    potential.sort(MORE_IMPORTANT_FIRST);
    PdbCheck pdbs = new PdbCheck(handle.objects().pdbs(), handle.snapshot());
    List<PodInfo> violatingPods = new ArrayList<>();
    List<PodInfo> nonViolatingPods = new ArrayList<>();
    pdbs.split(potential, violatingPods, nonViolatingPods);
    List<PodInfo> victims = new ArrayList<>();
    int numViolating = 0;
    for (PodInfo v : violatingPods) {
      if (!reprieve(state, pod, node, v, victims)) numViolating++;
    }
    for (PodInfo v : nonViolatingPods) reprieve(state, pod, node, v, victims);
    return new Victims(victims, numViolating, Status.SUCCESS);
  }

  /** Puts {@code v} back; if the pod then no longer fits, removes it again as a victim. */
  private boolean reprieve(CycleState state, Pod pod, NodeInfo node, PodInfo v, List<PodInfo> victims) {
    Framework fwk = handle.framework();
    node.addPod(v);
    fwk.runPreFilterExtensionAddPod(state, pod, v, node);
    if (fwk.runFilterPluginsWithNominatedPods(state, pod, node).isSuccess()) return true;
    node.removePod(v);
    fwk.runPreFilterExtensionRemovePod(state, pod, v, node);
    victims.add(v);
    return false;
  }

  /** Higher priority first, then the pod that started earlier (MoreImportantPod). */
  static final Comparator<PodInfo> MORE_IMPORTANT_FIRST =
      Comparator.comparingInt(PodInfo::priority).reversed().thenComparing(DefaultPreemption::startTime);

  static Instant startTime(PodInfo p) {
    String t = p.pod().status != null && p.pod().status.startTime != null ? p.pod().status.startTime : p.pod().metadata.creationTimestamp;
    if (t == null) return Instant.MAX;
    try {
      return Instant.parse(t);
    } catch (RuntimeException e) {
      return Instant.MAX;
    }
  }

  /** pickOneNodeForPreemption: each criterion only breaks the previous one's ties. */
  static Candidate pickOne(List<Candidate> candidates) {
    List<Candidate> left = new ArrayList<>(candidates);
    List<java.util.function.ToLongFunction<Candidate>> criteria = List.of(
        c -> -c.pdbViolations(),
        c -> -highestPriority(c),
        c -> {
          long sum = 0;
          for (PodInfo v : c.victims()) sum += (long) v.priority() + Integer.MAX_VALUE + 1L;
          return -sum;
        },
        c -> -c.victims().size(),
        c -> {
          int hp = highestPriority(c);
          Instant earliest = Instant.MAX;
          for (PodInfo v : c.victims()) if (v.priority() == hp && startTime(v).isBefore(earliest)) earliest = startTime(v);
          return earliest.equals(Instant.MAX) ? Long.MIN_VALUE : earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano();
        });
    for (var f : criteria) {
      long max = Long.MIN_VALUE;
      List<Candidate> best = new ArrayList<>();
      for (Candidate c : left) {
        long s = f.applyAsLong(c);
        if (s > max) {
          max = s;
          best.clear();
        }
        if (s == max) best.add(c);
      }
      if (best.size() == 1) return best.get(0);
      left = best;
    }
    return left.isEmpty() ? null : left.get(0);
  }

  private static int highestPriority(Candidate c) {
    int m = Integer.MIN_VALUE;
    for (PodInfo v : c.victims()) m = Math.max(m, v.priority());
    return m;
  }

  /** Marks, records and deletes the victims; clears lower-priority nominations on the node. */
  private void prepare(Candidate c, PodInfo preemptor) {
    String schedulerName = preemptor.pod().spec.schedulerName == null
        ? Params.DEFAULT_SCHEDULER_NAME : preemptor.pod().spec.schedulerName;
    for (PodInfo v : c.victims()) {
      if (handle.waitingPods().isWaiting(v.key())) {
        handle.waitingPods().reject(v.key(), NAME, "preempted");
        continue;
      }
      Condition cond = new Condition(SchedulerReasons.CONDITION_DISRUPTION_TARGET, "True",
          SchedulerReasons.REASON_PREEMPTION_BY_SCHEDULER, String.format(SchedulerReasons.PREEMPTING_FORMAT, schedulerName));
      handle.api().updatePodStatus(v.pod(), cond, null);
      long grace = v.pod().spec.terminationGracePeriodSeconds == null
          ? Params.DEFAULT_TERMINATION_GRACE_SECONDS : v.pod().spec.terminationGracePeriodSeconds;
      handle.api().deletePod(v.pod(), grace);
      handle.api().event(v.pod(), "Normal", SchedulerReasons.EVENT_PREEMPTED, "Preempting",
          String.format(SchedulerReasons.PREEMPTED_FORMAT, preemptor.uid(), c.node()));
    }
    for (PodInfo other : handle.nominator().forNode(c.node())) {
      if (other.priority() < preemptor.priority()) {
        handle.nominator().remove(other.key());
        handle.api().updatePodStatus(other.pod(), null, "");
      }
    }
  }
}
