package kubelab.shell.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import kubelab.shell.Main;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;

/**
 * The smoke version of {@code lab bench store} (0.2 s phases, 1,000 keys, etcd started once): it
 * runs both systems end to end and prints the JSON the report promises. The figures themselves
 * are not judged here: speed is for the full run on a quiet machine.
 */
class BenchStoreCommandTest {
  @Test
  void aShortRunPrintsBothSystemsAndTheRatio() throws Exception {
    Requires.command("etcd");
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "bench", "store", "--json", "--phase-seconds", "0.2", "--keys", "1000", "--no-core");
    assertEquals(0, code, err.toString());
    JsonNode j = new ObjectMapper().readTree(out.toString());
    for (String sys : new String[] {"mini_etcd", "etcd"}) {
      JsonNode phases = j.get(sys).get("phases");
      assertEquals(5, phases.size(), sys + ": " + phases);
      for (JsonNode p : phases) {
        assertTrue(p.get("ops_per_sec").asDouble() > 0, sys + ": " + p);
        assertEquals(0, p.get("errors").asLong(), sys + ": " + p);
      }
      assertTrue(j.get(sys).get("watch").get("events").asLong() > 0, sys + " watch: " + j.get(sys).get("watch"));
    }
    assertTrue(j.get("throughput_ratio_vs_etcd").asDouble() > 0, out.toString());
    assertTrue(j.get("p99_ratio_vs_etcd").isNumber(), out.toString());
    assertEquals(5, j.get("ratios").size());
    assertTrue(j.get("raft_core_ops_per_sec").isNull());
    // Nothing is left running.
    assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("kubelab-bench-store-")),
        "a benchmark process is still running");
  }
}
