package kubelab.scheduler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark harness itself (small scale; the figures are `lab bench scheduler`'s job). */
class InProcessBenchmarkTest {
  @Test
  void everyWorkloadBindsEveryMeasuredPod() throws Exception {
    for (Workload w : Workload.values()) {
      // 500 nodes: hostname anti-affinity fits one pod per node (100 init + 300 measured).
      InProcessBenchmark.Result r = InProcessBenchmark.run(w, 500, 100, 300, 2, s -> {});
      assertEquals(300, r.scheduled(), w.id());
      assertTrue(r.podsPerSecond() > 0 && r.p99Millis() >= r.p50Millis(), w.id() + ": " + r);
    }
  }

  @Test
  void throughputIsTheAverageOfFullOneSecondWindows() {
    long s = 1_000_000_000L;
    // 10 pods in the first second, 20 in the second, 5 in a partial third window (not counted)
    long[] t = new long[35];
    for (int i = 0; i < 10; i++) t[i] = i * (s / 10);
    for (int i = 0; i < 20; i++) t[10 + i] = s + i * (s / 20);
    for (int i = 0; i < 5; i++) t[30 + i] = 2 * s + i;
    assertEquals(15.0, Throughput.averageOfWindows(t, 35));
    assertEquals(100.0, Throughput.averageOfWindows(new long[] {s / 100}, 1), "under a second: pods over the elapsed time");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
    assertEquals(5, Throughput.percentile(v, 10, 50));
    assertEquals(10, Throughput.percentile(v, 10, 99));
  }
}
