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
      kubelab.shell.image.CommitCommand.class,
      kubelab.shell.image.ExportCommand.class,
      kubelab.shell.image.ImageCommand.class,
      kubelab.shell.scheduler.ExplainCommand.class,
      BenchCommand.class,
      DevCommand.class,
      kubelab.shell.store.StoreCommand.class,
      kubelab.shell.client.ClientCommand.class,
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
    if (args.length > 0 && args[0].equals("run")) {
      Integer rc = kubelab.shell.runtime.RunFastPath.run(args); // no picocli: see RunFastPath
      if (rc != null) {
        System.out.flush();
        System.exit(rc);
      }
    }
    CommandLine cl = args.length > 0 ? narrowed(args[0]) : null;
    int code = (cl != null ? cl : commandLine()).execute(args);
    System.exit(code);
  }

  /**
   * Start-up: building the whole tree reflects over every command class of every component
   * (and instantiates them, which can load their libraries). A one-shot command needs only its
   * own subcommand, so when {@code args[0]} names one, the tree holds just that one; help and
   * everything else get the full tree.
   */
  static CommandLine narrowed(String name) {
    if (name.startsWith("-") || name.equals("help")) return null;
    Command root = Main.class.getAnnotation(Command.class);
    for (Class<?> c : root.subcommands()) {
      Command a = c.getAnnotation(Command.class);
      if (a == null || !(a.name().equals(name) || java.util.Arrays.asList(a.aliases()).contains(name))) continue;
      CommandSpec spec = CommandSpec.create().name("lab");
      spec.mixinStandardHelpOptions(true);
      CommandLine cl = new CommandLine(spec);
      CommandLine sub = new CommandLine(c);
      if (name.equals("run") || name.equals("exec")) sub.setStopAtPositional(true);
      cl.addSubcommand(a.name(), sub);
      cl.setExecutionExceptionHandler(new Errors());
      return cl;
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"KubeLab " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
