package kubelab.scheduler.bench;

import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;

/**
 * The workload shapes of kube-scheduler's scheduler_perf (test/integration/scheduler_perf), with
 * their node and pod templates: fake nodes of 4 CPU / 32Gi / 110 pods, pods requesting
 * 100m / 500Mi.
 *
 * <pre>
 * basic              SchedulingBasic:          5,000 nodes, 1,000 init pods, 10,000 measured
 * node_affinity      SchedulingNodeAffinity:   nodes in zone1; pods require zone In [zone1, zone2];
 *                                              5,000 init, 10,000 measured
 * pod_anti_affinity  SchedulingPodAntiAffinity: pods (color=green) with required anti-affinity on
 *                                              hostname to each other; 1,000 init, 2,000 measured
 * topology_spread    TopologySpreading:        nodes in 3 zones; pods (color=blue) with a required
 *                                              zone spread, maxSkew 5; 5,000 init, 5,000 measured
 * </pre>
 */
public enum Workload {
  BASIC("basic", 1_000, 10_000),
  NODE_AFFINITY("node_affinity", 5_000, 10_000),
  POD_ANTI_AFFINITY("pod_anti_affinity", 1_000, 2_000),
  TOPOLOGY_SPREAD("topology_spread", 5_000, 5_000);

  private final String id;
  private final int initPods;
  private final int measuredPods;

  Workload(String id, int initPods, int measuredPods) {
    this.id = id;
    this.initPods = initPods;
    this.measuredPods = measuredPods;
  }

  /** The name used on the command line and in JSON field names. */
  public String id() {
    return id;
  }

  public int initPods() {
    return initPods;
  }

  public int measuredPods() {
    return measuredPods;
  }

  public static Workload parse(String s) {
    for (Workload w : values()) if (w.id.equals(s) || w.name().equalsIgnoreCase(s)) return w;
    throw new IllegalArgumentException("unknown workload \"" + s + "\" (basic, node_affinity, pod_anti_affinity, topology_spread)");
  }

  public Node node(int i) {
    MakeNode n = MakeNode.named("scheduler-perf-" + i).capacity("4", "32Gi", 110);
    switch (this) {
      case NODE_AFFINITY -> n.label("topology.kubernetes.io/zone", "zone1");
      case TOPOLOGY_SPREAD -> n.label("topology.kubernetes.io/zone", "moon-" + (i % 3 + 1));
      default -> {}
    }
    return n.obj();
  }

  /** Pod {@code i} of the init ({@code init} true) or measured phase. */
  public Pod pod(int i, boolean init) {
    String prefix = init ? "init-pod-" : "pod-";
    MakePod p = MakePod.named(prefix + i).uid((init ? "i" : "m") + i).req("cpu", "100m").req("memory", "500Mi");
    switch (this) {
      case NODE_AFFINITY -> p.requiredNodeAffinity("topology.kubernetes.io/zone", "In", "zone1", "zone2");
      case POD_ANTI_AFFINITY -> p.namespace(init ? "sched-0" : "sched-1").label("color", "green").label("name", "test")
          .requiredPodAntiAffinity("kubernetes.io/hostname", Map.of("color", "green"), List.of("sched-1", "sched-0"));
      case TOPOLOGY_SPREAD -> p.label("color", "blue").spread(5, "topology.kubernetes.io/zone", "DoNotSchedule", Map.of("color", "blue"));
      default -> {}
    }
    return p.obj();
  }
}
