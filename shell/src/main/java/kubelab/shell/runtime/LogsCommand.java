package kubelab.shell.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import kubelab.container.ContainerException;
import kubelab.container.LinuxRuntime;
import kubelab.container.Logs;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab logs [-f] NAME}: what the container wrote to stdout and stderr (kept by its supervisor). */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a container's output (stdout and stderr).")
public final class LogsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;
  @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the container exits.") boolean follow;
  @Option(names = {"-t", "--timestamps"}, description = "Show the time of each line.") boolean timestamps;
  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.") Integer tail;
  @Parameters(index = "0", paramLabel = "NAME") String name;

  @Override
  public Integer call() {
    LinuxRuntime rt = Runtimes.open(root.root);
    OutputStream out = Runtimes.stream(spec.commandLine().getOut());
    OutputStream err = Runtimes.stream(spec.commandLine().getErr());
    try {
      Logs.copy(rt, name, out, err, tail == null ? -1 : tail, timestamps, follow);
    } catch (IOException e) {
      throw new ContainerException("cannot read the log of " + name + ": " + e.getMessage());
    }
    return 0;
  }
}
