package kubelab.scheduler.plugins.noderesources;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Pod;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.Resource;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Status;

/**
 * NodeResourcesFit (the old PodFitsResources plus LeastRequestedPriority).
 *
 * <p>Filter: the sum of the requests of the pods on the node plus this pod's must not exceed the
 * node's allocatable, for cpu, memory, ephemeral-storage and every extended resource the pod
 * requests; and the pod count must stay within allocatable "pods". Requests, not usage: an idle
 * node full of big requests is full. Every insufficient resource is reported ("Insufficient cpu",
 * "Insufficient memory", "Too many pods"); the status is UNSCHEDULABLE (preemption may help).
 *
 * <p>Score: the configured strategy ({@link LeastAllocated} by default, or {@link MostAllocated})
 * over the configured resources. Args (pluginConfig):
 * <pre>
 * scoringStrategy: {type: LeastAllocated, resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]}
 * ignoredResources: [example.com/foo]
 * ignoredResourceGroups: [example.com]
 * </pre>
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  private static final CycleState.Key<PodRequests> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

  private final ScoringStrategy strategy;
  private final List<ResourceSpec> resources;
  private final Set<String> ignored;
  private final Set<String> ignoredGroups;

  /** The pod's request per scored resource (with the non-zero defaults for cpu and memory). */
  record PodRequests(long[] values) implements CycleState.StateData {}

  public NodeResourcesFit() {
    this(Map.of());
  }

  @SuppressWarnings("unchecked")
  public NodeResourcesFit(Map<String, Object> args) {
    Object ss = args.get("scoringStrategy");
    Map<String, Object> strat = ss instanceof Map ? (Map<String, Object>) ss : Map.of();
    this.strategy = ScoringStrategy.of((String) strat.get("type"));
    this.resources = ResourceSpec.parse(strat.get("resources"), "scoringStrategy.resources");
    this.ignored = new HashSet<>(strings(args.get("ignoredResources")));
    this.ignoredGroups = new HashSet<>(strings(args.get("ignoredResourceGroups")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    if (o == null) return List.of();
    if (!(o instanceof List)) throw new IllegalArgumentException("expected a list of resource names");
    List<String> out = new ArrayList<>();
    for (Object x : (List<Object>) o) out.add(String.valueOf(x));
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }

  public ScoringStrategy strategy() {
    return strategy;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    return Status.SUCCESS; // the pod's requests are precomputed in its PodInfo
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    PodInfo p = state.podInfo();
    Resource req = p.requests();
    Resource alloc = node.allocatable();
    Resource used = node.requested();
    List<String> reasons = null;
    if (node.pods().size() + 1 > alloc.allowedPodNumber) reasons = add(reasons, SchedulerReasons.TOO_MANY_PODS);
    if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && req.scalar == null) {
      return reasons == null ? Status.SUCCESS : Status.unschedulable(reasons.toArray(new String[0])).withPlugin(NAME);
    }
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) reasons = add(reasons, SchedulerReasons.INSUFFICIENT_CPU);
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons = add(reasons, SchedulerReasons.INSUFFICIENT_MEMORY);
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons = add(reasons, SchedulerReasons.INSUFFICIENT_EPHEMERAL_STORAGE);
    }
    if (req.scalar != null) {
      for (var e : req.scalar.entrySet()) {
        String rn = e.getKey();
        if (e.getValue() == 0 || isIgnored(rn)) continue;
        if (e.getValue() > alloc.scalar(rn) - used.scalar(rn)) reasons = add(reasons, SchedulerReasons.insufficient(rn));
      }
    }
    return reasons == null ? Status.SUCCESS : Status.unschedulable(reasons.toArray(new String[0])).withPlugin(NAME);
  }

  private boolean isIgnored(String resource) {
    if (ignored.contains(resource)) return true;
    int slash = resource.indexOf('/');
    return slash > 0 && ignoredGroups.contains(resource.substring(0, slash));
  }

  private static List<String> add(List<String> l, String s) {
    if (l == null) l = new ArrayList<>(2);
    l.add(s);
    return l;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    PodInfo p = state.podInfo();
    long[] v = new long[resources.size()];
    for (int i = 0; i < v.length; i++) {
      String r = resources.get(i).name();
      v[i] = switch (r) {
        case "cpu" -> p.nonZeroMilliCpu();
        case "memory" -> p.nonZeroMemory();
        default -> p.requests().get(r);
      };
    }
    state.write(SCORE_KEY, new PodRequests(v));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    long[] podReq = state.require(SCORE_KEY).values();
    long nodeScore = 0;
    long weightSum = 0;
    for (int i = 0; i < podReq.length; i++) {
      ResourceSpec rs = resources.get(i);
      String r = rs.name();
      if (podReq[i] == 0 && ResourceSpec.isScalar(r)) continue; // not requested: not scored
      long alloc;
      long requested;
      switch (r) {
        case "cpu" -> {
          alloc = node.allocatable().milliCpu;
          requested = node.nonZeroRequested().milliCpu + podReq[i];
        }
        case "memory" -> {
          alloc = node.allocatable().memory;
          requested = node.nonZeroRequested().memory + podReq[i];
        }
        default -> {
          alloc = node.allocatable().get(r);
          requested = node.requested().get(r) + podReq[i];
        }
      }
      if (alloc == 0) continue;
      nodeScore += strategy.resourceScore(requested, alloc) * rs.weight();
      weightSum += rs.weight();
    }
    return weightSum == 0 ? 0 : nodeScore / weightSum;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE));
  }
}
