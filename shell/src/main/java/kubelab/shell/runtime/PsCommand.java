package kubelab.shell.runtime;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.ContainerState;
import kubelab.container.LinuxRuntime;
import kubelab.container.state.ContainerRecord;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab ps [-a]}: Docker's table (CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, NAMES).
 * The status is derived from the state on disk and the live processes, so it is right even
 * after the CLI or a supervisor was killed; ps also garbage-collects what such crashes left.
 */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List containers (running ones; -a for all).")
public final class PsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;
  @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.") boolean all;
  @Option(names = {"-q", "--quiet"}, description = "Only print ids.") boolean quiet;
  @Option(names = "--no-trunc", description = "Do not truncate ids and commands.") boolean noTrunc;

  @Override
  public Integer call() {
    LinuxRuntime rt = Runtimes.open(root.root);
    rt.gc();
    PrintWriter out = spec.commandLine().getOut();
    List<ContainerRecord> list = rt.list(all);
    if (quiet) {
      for (ContainerRecord r : list) out.println(noTrunc ? r.id : r.id.substring(0, 12));
      out.flush();
      return 0;
    }
    String fmt = "%-" + (noTrunc ? 66 : 14) + "s %-15s %-" + (noTrunc ? 40 : 24) + "s %-18s %-32s %s%n";
    out.printf(fmt, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES");
    for (ContainerRecord r : list) {
      ContainerState s = rt.state(r);
      String cmd = String.join(" ", r.args);
      if (r.pause && cmd.isEmpty()) cmd = "/pause";
      if (!noTrunc && cmd.length() > 20) cmd = cmd.substring(0, 19) + "…";
      out.printf(fmt, noTrunc ? r.id : r.id.substring(0, 12), r.image.isEmpty() ? "(sandbox)" : r.image, "\"" + cmd + "\"",
          Runtimes.ago(r.created), status(s, rt.health(r)), r.name);
    }
    out.flush();
    return 0;
  }

  /**
   * Docker's STATUS column: "Up 5 seconds", "Up 5 seconds (healthy)", "Up 3 seconds (health: starting)",
   * "Up 2 minutes (Paused)", "Exited (137) 3 seconds ago", "Created".
   */
  static String status(ContainerState s, kubelab.container.Health health) {
    return switch (s.status()) {
      case "running" -> "Up " + Runtimes.human(Runtimes.since(s.startedAt())) + (health == null ? "" : " " + health.psSuffix());
      case "paused" -> "Up " + Runtimes.human(Runtimes.since(s.startedAt())) + " (Paused)";
      case "exited" -> "Exited (" + s.exitCode() + ") " + (s.finishedAt().isEmpty() ? "" : Runtimes.ago(s.finishedAt()));
      default -> "Created";
    };
  }
}
