package kubelab.scheduler.bench;

import java.util.Arrays;

/**
 * Turns per-pod completion times and latencies into scheduler_perf's figures: throughput as the
 * average of pods bound in each full 1-second window since the measured phase began (the
 * SchedulingThroughput metric, sampled every second), plus latency percentiles.
 */
public final class Throughput {
  private Throughput() {}

  /**
   * @param doneNanos completion time of each pod, relative to the start of the measured phase
   * @return the average over full 1-s windows; if the phase took less than one second, pods per
   *     second over the whole phase
   */
  public static double averageOfWindows(long[] doneNanos, int n) {
    if (n == 0) return 0;
    long[] t = Arrays.copyOf(doneNanos, n);
    Arrays.sort(t);
    long last = t[n - 1];
    int windows = (int) (last / 1_000_000_000L);
    if (windows == 0) return n / (Math.max(last, 1) / 1e9);
    long[] counts = new long[windows];
    for (long x : t) {
      int w = (int) (x / 1_000_000_000L);
      if (w < windows) counts[w]++;
    }
    double sum = 0;
    for (long c : counts) sum += c;
    return sum / windows;
  }

  /** The p-th percentile (0–100) of {@code values}, nearest-rank. */
  public static double percentile(long[] values, int n, double p) {
    if (n == 0) return 0;
    long[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return v[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
