package kubelab.scheduler.plugins;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.InMemoryCluster;
import kubelab.scheduler.config.Profile;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeScoreList;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.Plugin;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.PreScorePlugin;
import kubelab.scheduler.framework.ScorePlugin;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.framework.WaitingPods;

/** Runs one plugin's extension points against a snapshot of nodes and pods, for table tests. */
public final class PluginHarness {
  public final Snapshot snapshot;
  public final FrameworkHandle handle;
  public final InMemoryCluster cluster = new InMemoryCluster();

  public PluginHarness(List<Node> nodes, List<Pod> pods) {
    this(nodes, pods, null);
  }

  public PluginHarness(List<Node> nodes, List<Pod> pods, ClusterObjects objects) {
    this.snapshot = Snapshot.of(nodes, pods);
    this.handle = new FrameworkHandle(snapshot, objects == null ? cluster : objects, cluster, Clock.systemUTC(),
        new Nominator(), new Parallelizer(1), new WaitingPods());
    // A default framework bound to this handle, so plugins that need one (preemption) find it.
    new Framework(Profile.defaults("default-scheduler"), PluginRegistry.inTree(), handle);
  }

  /** Creates a registry plugin with args, bound to this harness's handle. */
  public Plugin plugin(String name, Map<String, Object> args) {
    return PluginRegistry.inTree().get(name).create(args, handle);
  }

  public Plugin plugin(String name) {
    return plugin(name, Map.of());
  }

  public CycleState state(Pod pod) {
    return new CycleState(new PodInfo(pod));
  }

  /**
   * PreFilter (if any) then Filter on one node, as the framework runs them: a SKIP means the
   * Filter is not run (success); a rejecting PreFilter is the answer.
   */
  public Status filter(Plugin pl, Pod pod, String node) {
    CycleState st = state(pod);
    if (pl instanceof PreFilterPlugin pf) {
      Status s = Status.orSuccess(pf.preFilter(st, pod));
      if (s.isSkip()) return Status.SUCCESS;
      if (!s.isSuccess()) return s;
      if (st.restrictedNodes() != null && !st.restrictedNodes().contains(node)) {
        return Status.unresolvable("node is filtered out by the prefilter result");
      }
    }
    return Status.orSuccess(((FilterPlugin) pl).filter(st, pod, snapshot.get(node)));
  }

  /** Raw scores of the given nodes (PreScore SKIP gives zeros). */
  public long[] rawScores(Plugin pl, Pod pod, String... nodes) {
    return scores(pl, pod, false, nodes);
  }

  /** Scores after NormalizeScore. */
  public long[] normalizedScores(Plugin pl, Pod pod, String... nodes) {
    return scores(pl, pod, true, nodes);
  }

  private long[] scores(Plugin pl, Pod pod, boolean normalize, String... nodes) {
    CycleState st = state(pod);
    NodeInfo[] infos = new NodeInfo[nodes.length];
    for (int i = 0; i < nodes.length; i++) infos[i] = snapshot.get(nodes[i]);
    long[] out = new long[nodes.length];
    if (pl instanceof PreScorePlugin ps) {
      Status s = Status.orSuccess(ps.preScore(st, pod, List.of(infos)));
      if (s.isSkip()) return out;
    }
    ScorePlugin sp = (ScorePlugin) pl;
    for (int i = 0; i < infos.length; i++) out[i] = sp.score(st, pod, infos[i]);
    if (normalize) sp.normalizeScore(st, pod, new NodeScoreList(infos, out, out.length));
    return out;
  }
}
