package kubelab.shell.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import kubelab.api.Json;
import kubelab.shell.Main;
import org.junit.jupiter.api.Test;

class SchedulerBenchCommandTest {
  @Test
  void jsonHasTheFieldNamesTheIssueSpellsOut() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err),
        "bench", "scheduler", "--json", "--nodes", "200", "--pods", "400", "--init", "50", "--workload", "basic,node_affinity", "--skip-e2e");
    assertEquals(0, code, err.toString());
    JsonNode j = Json.MAPPER.readTree(out.toString());
    for (String f : new String[] {"basic_200_nodes_pods_per_s", "node_affinity_200_nodes_pods_per_s",
        "basic_200_nodes_p50_ms", "basic_200_nodes_p99_ms"}) {
      assertTrue(j.has(f), f + " in " + j);
      assertTrue(j.get(f).asDouble() > 0, f + " > 0");
    }
    assertEquals(400, j.get("basic_200_nodes_scheduled_pods").asInt(), "every measured pod was bound");
  }

  @Test
  void textPrintsATableWithTheGoals() {
    StringWriter out = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()),
        "bench", "scheduler", "--nodes", "150", "--pods", "200", "--init", "0", "--workload", "pod_anti_affinity", "--skip-e2e");
    assertEquals(0, code);
    assertTrue(out.toString().contains("WORKLOAD"), out.toString());
    assertTrue(out.toString().contains("pod_anti_affinity"), out.toString());
    assertTrue(out.toString().contains("goals on 2 cores"), out.toString());
  }

  @Test
  void endToEndBindsEveryPodThroughTheApiServerAndTheRaftStore() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err),
        "bench", "scheduler", "--json", "--e2e-only", "--e2e-nodes", "20", "--e2e-pods", "100");
    assertEquals(0, code, err.toString());
    JsonNode j = Json.MAPPER.readTree(out.toString());
    assertEquals(100, j.get("end_to_end_20_nodes_scheduled_pods").asInt());
    assertTrue(j.get("end_to_end_20_nodes_pods_per_s").asDouble() > 0);
  }

  @Test
  void anUnknownWorkloadIsAOneLineError() {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "bench", "scheduler", "--workload", "fast");
    assertEquals(1, code);
    assertEquals("lab: unknown workload \"fast\" (basic, node_affinity, pod_anti_affinity, topology_spread)", err.toString().trim());
  }
}
