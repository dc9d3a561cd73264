package kubelab.shell.scheduler;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.api.Json;
import kubelab.scheduler.bench.InProcessBenchmark;
import kubelab.scheduler.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab bench scheduler}: kube-scheduler's scheduler_perf workload shapes against fake nodes,
 * in process (the scheduling algorithm's own throughput) and end to end through the API server
 * and the Raft store (binds included). Prints pods/s as the average over 1-second windows and
 * p50/p99 per-pod scheduling latency; {@code --json} prints one object with fields such as
 * {@code basic_5000_nodes_pods_per_s}.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the scheduler with kube-scheduler's scheduler_perf workloads.",
      "In process: basic, node_affinity, pod_anti_affinity and topology_spread on 5,000 fake nodes.",
      "End to end: through the API server and the Raft store with 1,000 nodes, binds included.",
      "pods/s is the average of pods bound per 1-second window; latency is one scheduling attempt."
    })
public final class SchedulerBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object (basic_5000_nodes_pods_per_s, ...).")
  boolean json;

  @Option(names = "--nodes", defaultValue = "5000", description = "Fake nodes for the in-process workloads (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--workload", split = ",", paramLabel = "NAME",
      description = "Workloads to run: basic, node_affinity, pod_anti_affinity, topology_spread (default: all).")
  List<String> workloads;

  @Option(names = "--pods", defaultValue = "0", description = "Measured pods per workload (default: scheduler_perf's: 10000, 10000, 2000, 5000).")
  int pods;

  @Option(names = "--init", defaultValue = "-1", description = "Init pods scheduled before measuring (default: the workload's).")
  int init;

  @Option(names = "--parallelism", defaultValue = "16", description = "Filter/score parallelism, capped at the cores (default: ${DEFAULT-VALUE}, kube-scheduler's).")
  int parallelism;

  @Option(names = "--e2e-nodes", defaultValue = "1000", description = "Nodes for the end-to-end run (default: ${DEFAULT-VALUE}).")
  int e2eNodes;

  @Option(names = "--e2e-pods", defaultValue = "3000", description = "Pods for the end-to-end run (default: ${DEFAULT-VALUE}).")
  int e2ePods;

  @Option(names = "--skip-e2e", description = "Skip the end-to-end run.")
  boolean skipE2e;

  @Option(names = "--e2e-only", description = "Only the end-to-end run.")
  boolean e2eOnly;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodes < 1 || e2eNodes < 1 || e2ePods < 1) throw new IllegalArgumentException("--nodes, --e2e-nodes and --e2e-pods must be at least 1");
    List<Workload> ws = new ArrayList<>();
    if (workloads == null || workloads.isEmpty()) ws.addAll(List.of(Workload.values()));
    else for (String w : workloads) ws.add(Workload.parse(w.trim()));
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("parallelism", Math.min(parallelism, cores));
    List<String> lines = new ArrayList<>();
    if (!e2eOnly) {
      for (Workload w : ws) {
        InProcessBenchmark.Result r = InProcessBenchmark.run(w, nodes, init, pods, parallelism, s -> progress(err, s));
        String prefix = w.id() + "_" + nodes + "_nodes_";
        m.put(prefix + "pods_per_s", round(r.podsPerSecond()));
        m.put(prefix + "p50_ms", round(r.p50Millis()));
        m.put(prefix + "p99_ms", round(r.p99Millis()));
        m.put(prefix + "measured_pods", r.measuredPods());
        m.put(prefix + "scheduled_pods", r.scheduled());
        lines.add(String.format(Locale.ROOT, "%-18s %6d %6d %9d %9.0f %8.2f %8.2f", w.id(), r.nodes(), r.initPods(),
            r.measuredPods(), r.podsPerSecond(), r.p50Millis(), r.p99Millis()));
      }
    }
    String e2eLine = null;
    if (!skipE2e) {
      EndToEndBenchmark.Result r = EndToEndBenchmark.run(e2eNodes, e2ePods, s -> progress(err, s));
      String prefix = "end_to_end_" + e2eNodes + "_nodes_";
      m.put(prefix + "pods_per_s", round(r.podsPerSecond()));
      m.put(prefix + "p50_ms", round(r.p50Millis()));
      m.put(prefix + "p99_ms", round(r.p99Millis()));
      m.put(prefix + "measured_pods", r.pods());
      m.put(prefix + "scheduled_pods", r.bound());
      e2eLine = String.format(Locale.ROOT, "%-18s %6d %6d %9d %9.0f %8.2f %8.2f", "basic", r.nodes(), 0, r.pods(),
          r.podsPerSecond(), r.p50Millis(), r.p99Millis());
    }
    if (json) {
      out.println(Json.toJson(m));
    } else {
      out.println("lab bench scheduler: scheduler_perf workloads, " + cores + " cores, parallelism " + Math.min(parallelism, cores));
      String head = String.format(Locale.ROOT, "%-18s %6s %6s %9s %9s %8s %8s", "WORKLOAD", "NODES", "INIT", "MEASURED", "PODS/S", "P50 MS", "P99 MS");
      if (!lines.isEmpty()) {
        out.println();
        out.println("in process (in-memory cluster: binding is instant, so this is the scheduling algorithm's throughput)");
        out.println(head);
        lines.forEach(out::println);
      }
      if (e2eLine != null) {
        out.println();
        out.println("end to end (API server + 3-member Raft store; informers, binds through pods/binding, events)");
        out.println(head);
        out.println(e2eLine);
      }
      out.println();
      out.println("pods/s: average of pods bound per 1-second window (scheduler_perf's SchedulingThroughput); latency: one scheduling attempt.");
      out.println("goals on 2 cores: basic >= 3000, node_affinity >= 1000, end to end >= 500 pods/s (kube-scheduler's CI floor for basic is 680 on larger machines)");
    }
    out.flush();
    return 0;
  }

  private void progress(PrintWriter err, String s) {
    if (json) return;
    err.println("lab bench scheduler: " + s);
    err.flush();
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
