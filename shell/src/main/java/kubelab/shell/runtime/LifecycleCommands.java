package kubelab.shell.runtime;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.ContainerException;
import kubelab.container.LinuxRuntime;
import kubelab.container.sys.Signals;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The small lifecycle commands: stop, kill, rm, pause, unpause. Each takes several names, as
 * Docker's do, prints each name it handled, and fails (exit 1) if any name failed, after trying
 * all of them.
 */
public final class LifecycleCommands {
  private LifecycleCommands() {}

  interface Action {
    void apply(LinuxRuntime rt, String name);
  }

  static int each(CommandSpec spec, RootOption root, List<String> names, Action a) {
    LinuxRuntime rt = Runtimes.open(root.root);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int rc = 0;
    for (String n : names) {
      try {
        a.apply(rt, n);
        out.println(n);
      } catch (ContainerException e) {
        if (names.size() == 1) throw e;
        err.println("lab: " + e.getMessage());
        rc = 1;
      }
    }
    out.flush();
    err.flush();
    return rc;
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Stop containers: SIGTERM, then SIGKILL after the grace period.",
          "A PID 1 that does not handle SIGTERM ignores it: stop then takes the whole grace period."})
  public static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RootOption root;
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Grace period before SIGKILL (default ${DEFAULT-VALUE}).")
    int seconds = 10;
    @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
      return each(spec, root, names, (rt, n) -> rt.stop(n, Duration.ofSeconds(Math.max(0, seconds))));
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal (default SIGKILL) to containers' first process.")
  public static final class Kill implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RootOption root;
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Signal to send (default ${DEFAULT-VALUE}).")
    String signal = "KILL";
    @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
      int sig;
      try {
        sig = Signals.parse(signal);
      } catch (IllegalArgumentException e) {
        throw new ContainerException(e.getMessage());
      }
      return each(spec, root, names, (rt, n) -> rt.kill(n, sig));
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Remove containers and everything they had: cgroup, IP, rootfs layers, log.")
  public static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RootOption root;
    @Option(names = {"-f", "--force"}, description = "Kill running containers first.") boolean force;
    @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
      int rc = each(spec, root, names, (rt, n) -> rt.remove(n, force));
      Runtimes.open(root.root).gc();
      return rc;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Freeze every process of containers (cgroup freezer).")
  public static final class Pause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RootOption root;
    @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
      return each(spec, root, names, (rt, n) -> rt.pause(n, true));
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Thaw paused containers.")
  public static final class Unpause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RootOption root;
    @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
      return each(spec, root, names, (rt, n) -> rt.pause(n, false));
    }
  }
}
