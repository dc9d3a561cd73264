package kubelab.shell;

import kubelab.shell.dev.RaftBenchCommand;
import kubelab.shell.dev.RaftSimCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab dev}: tools for KubeLab's developers (simulation runs, checks). */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Developer tools: deterministic simulations and project checks.",
    subcommands = {RaftSimCommand.class, RaftBenchCommand.class})
public final class DevCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
