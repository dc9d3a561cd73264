package kubelab.scheduler;

import kubelab.scheduler.bench.InProcessBenchmark;
import kubelab.scheduler.bench.Workload;
import org.junit.jupiter.api.Test;

class BenchSmokeTest {
  @Test
  void run() throws Exception {
    int nodes = Integer.getInteger("bench.nodes", 5000);
    for (String w : System.getProperty("bench.workloads", "basic,node_affinity,pod_anti_affinity,topology_spread").split(",")) {
      var r = InProcessBenchmark.run(Workload.parse(w), nodes, -1, -1, 2, System.out::println);
      System.out.println(r);
    }
  }
}
