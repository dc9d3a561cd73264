package kubelab.shell;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code lab} command: one picocli command tree, run once from the shell ({@code ./lab run ...})
 * or line by line from the REPL. Commands never touch the terminal directly: they print through
 * {@code spec.commandLine().getOut()/getErr()}, so tests can capture them.
 *
 * <p>Subcommands are grouped by component: the container runtime (run, ps, image, ...), the
 * store (store ...), the cluster (cluster, kubeconfig, explain), benchmarks (bench ...) and
 * developer tools (dev ...).
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "KubeLab: learn Linux containers and Kubernetes on a real mini-cluster.",
      "",
      "Run a subcommand with --help for its options."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      kubelab.shell.runtime.RunCommand.class,
      kubelab.shell.runtime.PsCommand.class,
      kubelab.shell.runtime.LogsCommand.class,
      kubelab.shell.runtime.ExecCommand.class,
      kubelab.shell.runtime.LifecycleCommands.Stop.class,
      kubelab.shell.runtime.LifecycleCommands.Kill.class,
      kubelab.shell.runtime.LifecycleCommands.Rm.class,
      kubelab.shell.runtime.InspectCommand.class,
      kubelab.shell.runtime.LifecycleCommands.Pause.class,
      kubelab.shell.runtime.LifecycleCommands.Unpause.class,
      kubelab.shell.image.ImageCommand.class,
      BenchCommand.class,
      DevCommand.class,
      kubelab.shell.store.StoreCommand.class,
      kubelab.shell.cluster.ClusterCommand.class,
      kubelab.shell.cluster.KubeconfigCommand.class,
      kubelab.shell.cluster.CertsCommand.class,
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command tree with KubeLab's error handling; used by {@link #main} and by tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(new Errors());
    // Docker's shape: in `lab run IMAGE CMD -x` and `lab exec NAME CMD -x`, -x belongs to CMD.
    for (String sub : new String[] {"run", "exec"}) {
      CommandLine c = cl.getSubcommands().get(sub);
      if (c != null) c.setStopAtPositional(true);
    }
    return cl;
  }

  /** Runs one command line and returns its exit code (tests call this with captured writers). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    System.exit(code);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"KubeLab " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
