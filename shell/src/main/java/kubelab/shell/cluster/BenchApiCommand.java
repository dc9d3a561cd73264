package kubelab.shell.cluster;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.api.Json;
import kubelab.cluster.bench.ApiBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab bench api}: p50/p99 of create, get, list, update and watch delivery under 1 and 32
 * concurrent clients through the control plane of {@code lab cluster up} (Raft with fsync), and
 * {@code kubectl get pods} against {@code kubectl version --client} ({@code
 * kubectl_get_pods_ratio_vs_client}). Goals: mutating p99 ≤ 50 ms; the ratio ≤ 1.3.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
    description = {"Benchmark the API server through the whole control plane (3 Raft members, fsync on, TLS, RBAC, admission):",
        "p50/p99 of create/get/list/update/watch delivery with 1 and 32 clients,",
        "and kubectl get pods wall time against kubectl version --client (goals: mutating p99 <= 50 ms, ratio <= 1.3)."})
public final class BenchApiCommand implements Callable<Integer> {
  static final double MUTATING_P99_GOAL_MS = 50;
  static final double KUBECTL_RATIO_GOAL = 1.3;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object.") boolean json;
  @Option(names = "--phase-seconds", defaultValue = "5", description = "Length of each measured phase (default: ${DEFAULT-VALUE}; CI uses 1).")
  double phaseSeconds;
  @Option(names = "--kubectl-runs", defaultValue = "15", description = "Timed runs of each kubectl command (default: ${DEFAULT-VALUE}).")
  int kubectlRuns;
  @Option(names = "--kubectl", defaultValue = "kubectl", description = "The kubectl to time (default: ${DEFAULT-VALUE} on PATH).")
  String kubectl;
  @Option(names = "--no-kubectl", description = "Skip the kubectl timing.") boolean noKubectl;

  @Override
  public Integer call() throws Exception {
    if (phaseSeconds <= 0) throw new IllegalArgumentException("--phase-seconds must be positive");
    if (kubectlRuns < 1) throw new IllegalArgumentException("--kubectl-runs must be at least 1");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ApiBenchmark.Report r = ApiBenchmark.run(new ApiBenchmark.Options(phaseSeconds, List.of(1, 32), !noKubectl, kubectlRuns, kubectl),
        line -> {
          err.println("bench api: " + line);
          err.flush();
        });
    if (json) out.println(Json.MAPPER.writeValueAsString(json(r)));
    else text(out, r);
    out.flush();
    return 0;
  }

  private static String f(String fmt, Object... a) {
    return String.format(Locale.ROOT, fmt, a);
  }

  static void text(PrintWriter out, ApiBenchmark.Report r) {
    out.println("lab bench api: " + r.setup() + "; " + r.cores() + " cores");
    out.println(f("%-8s %7s | %9s %10s %9s %9s %9s %7s", "op", "clients", "ops", "ops/s", "p50 ms", "p99 ms", "max ms", "errors"));
    for (ApiBenchmark.Phase p : r.phases()) {
      out.println(f("%-8s %7d | %,9d %,10.0f %9.2f %9.2f %9.2f %7d", p.op().equals("watch") ? "watch" : p.op(), p.clients(), p.ops(),
          p.opsPerSecond(), p.p50(), p.p99(), p.max(), p.errors()));
    }
    out.println("  watch: latency from the start of a create to the event at each watcher (clients = watchers, one writer)");
    out.println(f("mutating p99 (worst of create/update): %.2f ms (goal <= %.0f ms: %s)", r.mutatingP99(), MUTATING_P99_GOAL_MS,
        r.mutatingP99() <= MUTATING_P99_GOAL_MS ? "met" : "missed"));
    ApiBenchmark.KubectlResult k = r.kubectl();
    if (k.skipped() != null) {
      out.println("kubectl: skipped: " + k.skipped());
    } else {
      out.println(f("kubectl get pods (%d pods, warm discovery cache): median %.1f ms (min %.1f) over %d runs", k.pods(), k.getPodsMedian(),
          k.getPodsMin(), k.runs()));
      out.println(f("kubectl version --client (the floor):            median %.1f ms (min %.1f)", k.clientMedian(), k.clientMin()));
      out.println(f("kubectl_get_pods_ratio_vs_client: %.2f (goal <= %.1f: %s); %s", k.ratio(), KUBECTL_RATIO_GOAL,
          k.ratio() <= KUBECTL_RATIO_GOAL ? "met" : "missed", k.version()));
    }
  }

  static Map<String, Object> json(ApiBenchmark.Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("setup", r.setup());
    m.put("cores", r.cores());
    for (ApiBenchmark.Phase p : r.phases()) {
      String key = p.op() + "_" + p.clients();
      m.put(key + "_p50_ms", round(p.p50()));
      m.put(key + "_p99_ms", round(p.p99()));
      m.put(key + "_ops_per_s", round(p.opsPerSecond()));
      if (p.errors() > 0) m.put(key + "_errors", p.errors());
    }
    m.put("mutating_p99_ms", round(r.mutatingP99()));
    m.put("mutating_p99_goal_ms", MUTATING_P99_GOAL_MS);
    ApiBenchmark.KubectlResult k = r.kubectl();
    if (k.skipped() != null) {
      m.put("kubectl_skipped", k.skipped());
      m.put("kubectl_get_pods_ratio_vs_client", null);
    } else {
      m.put("kubectl_version", k.version());
      m.put("kubectl_runs", k.runs());
      m.put("kubectl_get_pods_ms", round(k.getPodsMedian()));
      m.put("kubectl_version_client_ms", round(k.clientMedian()));
      m.put("kubectl_get_pods_ratio_vs_client", round(k.ratio()));
    }
    m.put("kubectl_ratio_goal", KUBECTL_RATIO_GOAL);
    return m;
  }

  private static Double round(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return null;
    return Math.round(d * 1000) / 1000.0;
  }
}
