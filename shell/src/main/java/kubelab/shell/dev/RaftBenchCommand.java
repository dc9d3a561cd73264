package kubelab.shell.dev;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.raft.bench.CoreBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab dev raft-bench}: the Raft core alone, in memory, 3 nodes (kubelab.raft.bench);
 * {@code lab bench store} prints the same figures next to the store's.
 */
@Command(
    name = "raft-bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark the Raft core alone: 3 nodes in one thread, in-memory storage, no fsync or "
        + "network. Prints committed ops/s with batched proposals and the one-at-a-time commit latency.")
public final class RaftBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object (core_ops_per_second, core_p50_us, ...).")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.println("raft core benchmark: warming up, then measuring (a few seconds) ...");
      out.flush();
    }
    List<CoreBenchmark.Result> rs = CoreBenchmark.standard();
    if (json) {
      out.println(JsonOut.write(toJson(rs)));
    } else {
      for (CoreBenchmark.Result r : rs) out.println(r.line());
      out.println("(goal: >= 200,000 committed ops/s with 3 nodes; the machine's other load makes figures noisy)");
    }
    out.flush();
    return 0;
  }

  static Map<String, Object> toJson(List<CoreBenchmark.Result> rs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodes", rs.get(0).nodes());
    m.put("value_bytes", rs.get(0).valueBytes());
    m.put("core_ops_per_second", rs.get(0).opsPerSecond());
    m.put("core_batch", rs.get(0).batch());
    m.put("core_ops_per_second_batch" + rs.get(1).batch(), rs.get(1).opsPerSecond());
    m.put("core_p50_us", rs.get(2).p50Micros());
    m.put("core_p99_us", rs.get(2).p99Micros());
    m.put("core_unbatched_ops_per_second", rs.get(2).opsPerSecond());
    return m;
  }
}
