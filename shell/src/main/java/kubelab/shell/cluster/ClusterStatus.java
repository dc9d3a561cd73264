package kubelab.shell.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import kubelab.api.Json;
import kubelab.cluster.AdminClient;
import kubelab.cluster.ClusterPki;
import kubelab.cluster.ClusterState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab cluster status}: every component of the control plane with its pid, role and health
 * (store members with their Raft role and term, the API server, and the components that are not
 * part of it yet). Exits 3 when no cluster runs, as {@code systemctl status} does.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "The control plane's components: pid, role (store leader/follower) and health.")
public final class ClusterStatus implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOption state;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClusterState st = state.state();
    Optional<ProcessHandle> r = st.running();
    if (r.isEmpty()) {
      out.println("No KubeLab cluster is running (start one with: lab cluster up -d).");
      out.flush();
      return 3;
    }
    String url = st.url().orElseThrow(() -> new IllegalStateException("the running cluster left no URL in " + st.urlFile()));
    HttpResponse<String> resp;
    try {
      resp = new AdminClient(ClusterPki.load(st.dir()), url).get("/kubelab/status");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the control plane (pid " + r.get().pid() + ") does not answer at " + url + ": "
          + e.getMessage() + " (see " + st.logFile() + ")");
    }
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("the API server answered " + resp.statusCode() + " to /kubelab/status: " + resp.body());
    }
    JsonNode status = Json.MAPPER.readTree(resp.body());
    if (json) {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status));
      out.flush();
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"COMPONENT", "PID", "ROLE", "HEALTH", "DETAIL"});
    for (JsonNode c : status.path("components")) {
      rows.add(new String[] {c.path("name").asText(), c.path("pid").asText(), c.path("role").asText(),
          c.path("health").asText(), c.path("detail").asText()});
    }
    printTable(out, rows);
    out.flush();
    return 0;
  }

  /** Columns separated by three spaces, padded to the widest cell, like kubectl's tables. */
  static void printTable(PrintWriter out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        b.append(r[i]);
        if (i < cols - 1) b.append(" ".repeat(w[i] - r[i].length() + 3));
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
