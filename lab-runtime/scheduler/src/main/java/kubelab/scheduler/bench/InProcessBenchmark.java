package kubelab.scheduler.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import kubelab.scheduler.InMemoryCluster;
import kubelab.scheduler.Scheduler;
import kubelab.scheduler.SchedulerListener;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.scheduler.framework.PodInfo;

/**
 * Runs one scheduler_perf workload against fake nodes in memory: the scheduler with every default
 * plugin, the in-memory cluster standing in for the API server (binding is instant, so the figure
 * is the scheduling algorithm's own throughput).
 *
 * <p>Phases, as scheduler_perf: create the nodes; create and schedule the init pods (also the JIT
 * warm-up, not measured); create the measured pods, then schedule them on this thread while a
 * listener stamps each binding. The result is {@link Throughput#averageOfWindows} over those
 * stamps, and the p50/p99 of the per-pod scheduling attempt.
 */
public final class InProcessBenchmark {
  /** Figures of one run. */
  public record Result(Workload workload, int nodes, int initPods, int measuredPods, int scheduled,
      double podsPerSecond, double overallPodsPerSecond, double p50Millis, double p99Millis, double seconds, int parallelism) {}

  private InProcessBenchmark() {}

  /**
   * @param nodes fake nodes (5,000 in scheduler_perf)
   * @param measured measured pods (the workload's default when ≤ 0)
   * @param parallelism filter/score threads (the config's parallelism; capped at the cores)
   * @param progress receives one line per phase (may be a no-op)
   */
  public static Result run(Workload w, int nodes, int init, int measured, int parallelism, Consumer<String> progress) throws InterruptedException {
    if (measured <= 0) measured = w.measuredPods();
    if (init < 0) init = w.initPods();
    SchedulerConfiguration cfg = SchedulerConfiguration.defaults();
    cfg.parallelism = parallelism;
    InMemoryCluster cluster = new InMemoryCluster();
    cluster.recordEvents(false);
    final int total = measured;
    long[] done = new long[total];
    long[] attempt = new long[total];
    AtomicInteger count = new AtomicInteger();
    long[] phaseStart = new long[1];
    boolean[] measuring = new boolean[1];
    SchedulerListener l = new SchedulerListener() {
      @Override
      public void bound(PodInfo pod, String node, long attemptNanos, long e2eNanos) {
        if (!measuring[0]) return;
        int i = count.getAndIncrement();
        if (i < total) {
          done[i] = System.nanoTime() - phaseStart[0];
          attempt[i] = attemptNanos;
        }
      }
    };
    try (Scheduler s = Scheduler.builder().config(cfg).api(cluster).objects(cluster).bindInline(true).listener(l).build()) {
      cluster.attach(s);
      progress.accept(w.id() + ": creating " + nodes + " nodes");
      for (int i = 0; i < nodes; i++) cluster.addNode(w.node(i));
      progress.accept(w.id() + ": scheduling " + init + " init pods (warm-up, not measured)");
      for (int i = 0; i < init; i++) cluster.createPod(w.pod(i, true));
      drain(s);
      progress.accept(w.id() + ": creating " + measured + " measured pods");
      for (int i = 0; i < measured; i++) cluster.createPod(w.pod(i, false));
      progress.accept(w.id() + ": scheduling " + measured + " pods");
      phaseStart[0] = System.nanoTime();
      measuring[0] = true;
      drain(s);
      long elapsed = System.nanoTime() - phaseStart[0];
      int n = Math.min(count.get(), total);
      return new Result(w, nodes, init, measured, n,
          Throughput.averageOfWindows(done, n), n / (elapsed / 1e9),
          Throughput.percentile(attempt, n, 50) / 1e6, Throughput.percentile(attempt, n, 99) / 1e6,
          elapsed / 1e9, Math.min(parallelism, Runtime.getRuntime().availableProcessors()));
    }
  }

  /** Schedules until activeQ stays empty (unschedulable pods are left where they are). */
  private static void drain(Scheduler s) throws InterruptedException {
    while (s.scheduleOne(Duration.ZERO)) {
      // one cycle per pod
    }
  }
}
