package kubelab.shell.cluster;

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
 * The smoke version of {@code lab bench api} (short phases): every phase at 1 and 32 clients
 * runs without errors, and the JSON has the fields issue 4 asks for. The figures are not judged
 * here; they are for a full run on a quiet machine.
 */
class BenchApiCommandTest {
  @Test
  void aShortRunPrintsEveryPhaseAndTheKubectlRatio() throws Exception {
    Requires.command("kubectl");
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "bench", "api", "--json", "--phase-seconds", "0.3", "--kubectl-runs", "2");
    assertEquals(0, code, err.toString());
    JsonNode j = new ObjectMapper().readTree(out.toString());
    for (String op : new String[] {"create", "get", "list", "update", "watch"}) {
      for (int n : new int[] {1, 32}) {
        assertTrue(j.path(op + "_" + n + "_p50_ms").asDouble() > 0, op + " " + n + ": " + j);
        assertTrue(j.path(op + "_" + n + "_p99_ms").asDouble() >= j.path(op + "_" + n + "_p50_ms").asDouble(), op + " " + n);
        assertTrue(j.path(op + "_" + n + "_errors").isMissingNode(), op + " " + n + " had errors: " + j);
      }
    }
    assertTrue(j.path("mutating_p99_ms").asDouble() > 0);
    assertTrue(j.path("kubectl_get_pods_ratio_vs_client").asDouble() > 0, j.toString());
    assertTrue(j.path("kubectl_version").asText().startsWith("Client Version"), j.toString());
  }
}
