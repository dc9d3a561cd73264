package kubelab.shell.runtime;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.Attach;
import kubelab.container.ExecSpec;
import kubelab.container.LinuxRuntime;
import kubelab.container.Trace;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab exec [-i] NAME COMMAND...}: runs a command in a running container by joining its
 * namespaces (setns) and cgroup. Exit code: the command's.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
    description = {"Run a command in a running container (joins its namespaces with setns).",
        "",
        "  lab exec c1 ps",
        "  lab exec --trace c1 sh -c 'echo $$'"})
public final class ExecCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;
  @Option(names = {"-i", "--interactive"}, description = "Pass stdin to the command.") boolean interactive;
  @Option(names = {"-t", "--tty"}, hidden = true, description = "Accepted for Docker compatibility; KubeLab has no tty support.") boolean tty;
  @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable.") List<String> env = new ArrayList<>();
  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "User to run as.") String user;
  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory.") String workdir;
  @Option(names = "--trace", description = "Print every step with its system call.") boolean trace;
  @Parameters(index = "0", paramLabel = "NAME") String name;
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND") List<String> command;

  @Override
  public Integer call() {
    LinuxRuntime rt = Runtimes.open(root.root);
    Attach a = new Attach(interactive ? new FileInputStream(FileDescriptor.in) : null,
        Runtimes.stream(spec.commandLine().getOut()), Runtimes.stream(spec.commandLine().getErr()));
    return rt.exec(name, new ExecSpec(command, env, user, workdir, interactive), a,
        trace ? new Trace(spec.commandLine().getErr()) : Trace.NONE);
  }
}
