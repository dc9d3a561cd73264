package kubelab.scheduler.plugins.noderesources;

import java.util.List;
import java.util.Map;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Status;

/**
 * NodeResourcesBalancedAllocation: prefer nodes whose CPU and memory would be used in similar
 * proportions after placing the pod, so neither is stranded (a node at 90% CPU and 10% memory
 * cannot take the next CPU-hungry pod even though most of its memory is free).
 *
 * <pre>
 * fractionᵢ = min(requestedᵢ / allocatableᵢ, 1)          requested includes this pod
 * std       = |fraction_cpu − fraction_mem| / 2            (two resources; population std dev in general)
 * score     = (1 − std) × 100
 * </pre>
 * The seeds give the pre-v1.19 form, {@code 10 − variance(cpuFraction, memoryFraction) × 10}
 * (0–10, and 0 once any fraction reached 1); today it is the standard deviation on 0–100 with
 * fractions capped at 1. Requested values here are the real requests (no 100m/200Mi defaults),
 * and a pod requesting nothing (BestEffort) skips this plugin, or every BestEffort pod would pile
 * onto the same "balanced" node.
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";
  private static final CycleState.Key<Requests> KEY = new CycleState.Key<>("PreScore" + NAME);

  private final List<ResourceSpec> resources;

  record Requests(long[] values) implements CycleState.StateData {}

  public NodeResourcesBalancedAllocation() {
    this(Map.of());
  }

  public NodeResourcesBalancedAllocation(Map<String, Object> args) {
    this.resources = ResourceSpec.parse(args.get("resources"), "resources");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
    PodInfo p = state.podInfo();
    long[] v = new long[resources.size()];
    boolean any = false;
    for (int i = 0; i < v.length; i++) {
      v[i] = p.requests().get(resources.get(i).name());
      if (v[i] != 0) any = true;
    }
    if (!any) return Status.SKIP;
    state.write(KEY, new Requests(v));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    long[] podReq = state.require(KEY).values();
    double f0 = -1;
    double f1 = -1;
    double sum = 0;
    int count = 0;
    double[] many = podReq.length > 2 ? new double[podReq.length] : null;
    for (int i = 0; i < podReq.length; i++) {
      String r = resources.get(i).name();
      if (podReq[i] == 0 && ResourceSpec.isScalar(r)) continue;
      long alloc = node.allocatable().get(r);
      if (alloc == 0) continue;
      double f = (double) (node.requested().get(r) + podReq[i]) / alloc;
      if (f > 1) f = 1;
      if (count == 0) f0 = f;
      else if (count == 1) f1 = f;
      if (many != null) many[count] = f;
      sum += f;
      count++;
    }
    return balancedScore(count, f0, f1, many, sum);
  }

  private static long balancedScore(int count, double f0, double f1, double[] many, double sum) {
    double std = 0;
    if (count == 2) {
      std = Math.abs((f0 - f1) / 2);
    } else if (count > 2) {
      double mean = sum / count;
      double acc = 0;
      for (int i = 0; i < count; i++) acc += (many[i] - mean) * (many[i] - mean);
      std = Math.sqrt(acc / count);
    }
    return (long) ((1 - std) * Params.MAX_NODE_SCORE);
  }

  /** The score for given fractions (the table test's entry point). */
  public static long scoreFractions(double... fractions) {
    double sum = 0;
    double[] f = new double[fractions.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = Math.min(fractions[i], 1);
      sum += f[i];
    }
    return balancedScore(f.length, f.length > 0 ? f[0] : 0, f.length > 1 ? f[1] : 0, f, sum);
  }
}
