package kubelab.shell.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import kubelab.container.state.Json;
import kubelab.shell.Main;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end and prints the fields issue 2 names (its figures are not asserted: it is not a timed test). */
class BenchRuntimeCommandTest {
  @Test
  void jsonHasTheRatiosToRuncAndCrun() {
    Requires.root();
    Requires.command("runc");
    Requires.command("crun");
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "bench", "runtime", "--json", "--runs", "3", "--warmup", "1", "--cli-runs", "0");
    assertEquals(0, code, err.toString());
    Map<String, Object> m = Json.parseObject(out.toString().trim());
    for (String k : new String[] {"kubelab_median_ms", "kubelab_p90_ms", "runc_median_ms", "crun_median_ms",
        "time_ratio_vs_runc", "time_ratio_vs_crun"}) {
      assertTrue(m.get(k) instanceof Number n && n.doubleValue() > 0, k + " in " + m);
    }
  }
}
