package kubelab.shell.store;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import kubelab.raft.bench.CoreBenchmark;
import kubelab.store.bench.LoadGenerator;
import kubelab.store.bench.StoreBenchmark;

/** The text table and the JSON object of {@code lab bench store}. */
final class BenchStoreReport {
  private BenchStoreReport() {}

  private static String f(String fmt, Object... a) {
    return String.format(Locale.ROOT, fmt, a);
  }

  private static LoadGenerator.Phase phase(StoreBenchmark.SystemResult s, String name, int n) {
    if (s == null) return null;
    for (LoadGenerator.Phase p : s.load().phases()) if (p.name().equals(name) && p.inFlight() == n) return p;
    return null;
  }

  static Double ratio(double a, double b) {
    return b == 0 ? null : a / b;
  }

  static void text(PrintWriter out, StoreBenchmark.Report r) {
    var w = r.workload();
    out.println(f("lab bench store: 3 members on loopback, each its own process, fsync on; %d B values over %,d keys;"
        + " phases of %.1f s; data in %s (%s)", w.valueBytes(), w.keys(), w.phaseSeconds(), r.dataDir(), r.fileSystem()));
    String etcdName = r.etcd() == null ? "etcd (skipped)" : r.etcd().name();
    out.println(f("%-20s %5s | %-30s | %-30s | %s", "", "", "mini-etcd", etcdName, "ours / etcd"));
    out.println(f("%-20s %5s | %10s %9s %9s | %10s %9s %9s | %7s %6s %6s", "phase", "n", "ops/s", "p50 ms", "p99 ms",
        "ops/s", "p50 ms", "p99 ms", "ops/s", "p50", "p99"));
    for (LoadGenerator.Phase p : r.ours().load().phases()) {
      LoadGenerator.Phase e = phase(r.etcd(), p.name(), p.inFlight());
      String theirs = e == null ? f("%10s %9s %9s", "-", "-", "-") : f("%,10.0f %9.2f %9.2f", e.opsPerSecond(), e.p50(), e.p99());
      String ratios = e == null ? "" : f("%6.2fx %6.2f %6.2f", p.opsPerSecond() / e.opsPerSecond(), p.p50() / e.p50(), p.p99() / e.p99());
      out.println(f("%-20s %5d | %,10.0f %9.2f %9.2f | %s | %s%s", p.name(), p.inFlight(), p.opsPerSecond(), p.p50(), p.p99(),
          theirs, ratios, p.errors() > 0 ? "  (" + p.errors() + " errors)" : ""));
    }
    LoadGenerator.WatchResult ow = r.ours().load().watch();
    LoadGenerator.WatchResult ew = r.etcd() == null ? null : r.etcd().load().watch();
    out.println(f("%-20s %5s | %10s %9.2f %9.2f | %10s %9s %9s | %7s %6s %6s", "watch put→event", "1@100", "", ow.eventP50(),
        ow.eventP99(), "", ew == null ? "-" : f("%.2f", ew.eventP50()), ew == null ? "-" : f("%.2f", ew.eventP99()), "",
        ew == null ? "" : f("%.2f", ow.eventP50() / ew.eventP50()), ew == null ? "" : f("%.2f", ow.eventP99() / ew.eventP99())));
    out.println(f("%-20s %5s | %10s %9.2f %9.2f | %10s %9s %9s |", "  (same puts' ack)", "", "", ow.ackP50(), ow.ackP99(), "",
        ew == null ? "-" : f("%.2f", ew.ackP50()), ew == null ? "-" : f("%.2f", ew.ackP99())));
    if (ow.events() < ow.puts()) out.println(f("  mini-etcd watch: %d of %d events arrived", ow.events(), ow.puts()));
    if (ew != null && ew.events() < ew.puts()) out.println(f("  etcd watch: %d of %d events arrived", ew.events(), ew.puts()));
    LoadGenerator.Phase o64 = phase(r.ours(), "put", 64), e64 = phase(r.etcd(), "put", 64);
    if (e64 != null) {
      out.println(f("throughput_ratio_vs_etcd (puts, 64 in flight): %.2fx (goal >= 1.5x); p99 %.2f vs %.2f ms (goal: no worse)",
          o64.opsPerSecond() / e64.opsPerSecond(), o64.p99(), e64.p99()));
    } else {
      out.println("etcd: skipped: " + r.etcdSkipped());
    }
    for (StoreBenchmark.SystemResult s : r.etcd() == null ? List.of(r.ours()) : List.of(r.ours(), r.etcd())) {
      out.println(f("CPU, %s: members %.1f s, client %.1f s, for %,d requests (%.0f µs of member CPU each);"
              + " host %.0f%% busy over %.0f s, %.0f%% of it other processes",
          s.name(), s.memberCpuSeconds(), s.clientCpuSeconds(), s.requests(), s.memberCpuSeconds() * 1e6 / Math.max(1, s.requests()),
          s.host().busyShare() * 100, s.host().seconds(), s.host().otherShare() * 100));
    }
    for (String n : r.ours().notes()) out.println("  mini-etcd " + n);
    if (r.etcd() != null) for (String n : r.etcd().notes()) out.println("  etcd " + n);
    for (CoreBenchmark.Result c : r.core()) out.println("raft core: " + c.line());
  }

  private static String num(Double d) {
    return d == null || d.isNaN() || d.isInfinite() ? "null" : f("%.4f", d);
  }

  private static String phasesJson(StoreBenchmark.SystemResult s) {
    StringBuilder sb = new StringBuilder("[");
    List<LoadGenerator.Phase> ps = s.load().phases();
    for (int i = 0; i < ps.size(); i++) {
      LoadGenerator.Phase p = ps.get(i);
      sb.append(i == 0 ? "" : ",").append(f("{\"name\":\"%s\",\"in_flight\":%d,\"ops\":%d,\"errors\":%d,\"seconds\":%.3f,"
          + "\"ops_per_sec\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}", p.name(), p.inFlight(), p.ops(), p.errors(),
          p.seconds(), p.opsPerSecond(), p.p50(), p.p99(), p.max()));
    }
    LoadGenerator.WatchResult w = s.load().watch();
    return sb.append(f("],\"watch\":{\"puts\":%d,\"events\":%d,\"event_p50_ms\":%.3f,\"event_p99_ms\":%.3f,\"ack_p50_ms\":%.3f,"
        + "\"ack_p99_ms\":%.3f}", w.puts(), w.events(), w.eventP50(), w.eventP99(), w.ackP50(), w.ackP99())).toString();
  }

  private static String system(StoreBenchmark.SystemResult s) {
    StringBuilder notes = new StringBuilder("[");
    for (int i = 0; i < s.notes().size(); i++) notes.append(i == 0 ? "" : ",").append(Printer.quote(s.notes().get(i)));
    return "{\"name\":" + Printer.quote(s.name()) + ",\"phases\":" + phasesJson(s) + ",\"notes\":" + notes + "]"
        + f(",\"member_cpu_seconds\":%.2f,\"client_cpu_seconds\":%.2f,\"requests\":%d,\"member_cpu_us_per_request\":%.1f,"
            + "\"host_busy_share\":%.3f,\"host_other_share\":%.3f}",
            s.memberCpuSeconds(), s.clientCpuSeconds(), s.requests(), s.memberCpuSeconds() * 1e6 / Math.max(1, s.requests()),
            s.host().busyShare(), s.host().otherShare());
  }

  static String json(StoreBenchmark.Report r) {
    var w = r.workload();
    StringBuilder sb = new StringBuilder("{");
    sb.append(f("\"workload\":{\"members\":3,\"value_bytes\":%d,\"keys\":%d,\"phase_seconds\":%.2f,\"fsync\":true,"
        + "\"data_dir\":%s,\"file_system\":%s}", w.valueBytes(), w.keys(), w.phaseSeconds(), Printer.quote(r.dataDir()), Printer.quote(r.fileSystem())));
    sb.append(",\"mini_etcd\":").append(system(r.ours()));
    sb.append(",\"etcd\":").append(r.etcd() == null ? "null" : system(r.etcd()));
    if (r.etcd() == null) sb.append(",\"etcd_skipped\":").append(Printer.quote(r.etcdSkipped()));
    LoadGenerator.Phase o64 = phase(r.ours(), "put", 64), e64 = phase(r.etcd(), "put", 64);
    sb.append(",\"throughput_ratio_vs_etcd\":").append(e64 == null ? "null" : num(ratio(o64.opsPerSecond(), e64.opsPerSecond())));
    sb.append(",\"p50_ratio_vs_etcd\":").append(e64 == null ? "null" : num(ratio(o64.p50(), e64.p50())));
    sb.append(",\"p99_ratio_vs_etcd\":").append(e64 == null ? "null" : num(ratio(o64.p99(), e64.p99())));
    sb.append(",\"ratios\":[");
    boolean first = true;
    for (LoadGenerator.Phase p : r.ours().load().phases()) {
      LoadGenerator.Phase e = phase(r.etcd(), p.name(), p.inFlight());
      if (e == null) continue;
      sb.append(first ? "" : ",").append(f("{\"name\":\"%s\",\"in_flight\":%d,\"ops_per_sec\":%s,\"p50\":%s,\"p99\":%s}", p.name(),
          p.inFlight(), num(ratio(p.opsPerSecond(), e.opsPerSecond())), num(ratio(p.p50(), e.p50())), num(ratio(p.p99(), e.p99()))));
      first = false;
    }
    sb.append("]");
    if (r.etcd() != null) {
      var ow = r.ours().load().watch();
      var ew = r.etcd().load().watch();
      sb.append(",\"watch_p50_ratio_vs_etcd\":").append(num(ratio(ow.eventP50(), ew.eventP50())));
      sb.append(",\"watch_p99_ratio_vs_etcd\":").append(num(ratio(ow.eventP99(), ew.eventP99())));
    }
    sb.append(",\"raft_core\":[");
    for (int i = 0; i < r.core().size(); i++) {
      CoreBenchmark.Result c = r.core().get(i);
      sb.append(i == 0 ? "" : ",").append(f("{\"name\":%s,\"nodes\":%d,\"batch\":%d,\"ops\":%d,\"ops_per_sec\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f}",
          Printer.quote(c.name()), c.nodes(), c.batch(), c.ops(), c.opsPerSecond(), c.p50Micros(), c.p99Micros()));
    }
    double coreBest = r.core().stream().filter(c -> c.p50Micros() == 0).mapToDouble(CoreBenchmark.Result::opsPerSecond).max().orElse(0);
    sb.append("],\"raft_core_ops_per_sec\":").append(r.core().isEmpty() ? "null" : f("%.1f", coreBest));
    return sb.append('}').toString();
  }
}
