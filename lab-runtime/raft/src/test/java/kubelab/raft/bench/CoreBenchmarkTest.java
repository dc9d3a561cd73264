package kubelab.raft.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The benchmark's harness works (small runs); its speed is reported by `lab dev raft-bench`, not asserted. */
class CoreBenchmarkTest {
  @Test
  void aBatchedRunCommitsEveryProposal() {
    CoreBenchmark.Result r = CoreBenchmark.throughput(3, 300_000, 64, 256);
    assertEquals(300_000, r.ops());
    assertTrue(r.opsPerSecond() > 0);
    assertTrue(r.line().contains("committed ops/s"), r.line());
  }

  @Test
  void aLatencyRunReportsPercentiles() {
    CoreBenchmark.Result r = CoreBenchmark.latency(3, 2_000, 256);
    assertTrue(r.p50Micros() > 0 && r.p99Micros() >= r.p50Micros(), r.line());
  }
}
