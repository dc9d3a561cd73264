package kubelab.shell.scheduler;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab explain}: lay a decision open. Today: {@code lab explain scheduling POD}. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Explain a decision the cluster made.",
    subcommands = {ExplainSchedulingCommand.class})
public final class ExplainCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
