package kubelab.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab bench}: benchmarks that print figures (and with {@code --json}, one JSON object).
 * Each component adds its own subcommand: runtime, store, api, scheduler.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print figures, with ratios against a peer where one exists.",
    subcommands = {
      // One line per benchmark, so branches adding one merge cleanly.
      kubelab.shell.store.BenchStoreCommand.class,
      kubelab.shell.scheduler.SchedulerBenchCommand.class,
      kubelab.shell.runtime.BenchRuntimeCommand.class,
      kubelab.shell.cluster.BenchApiCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
