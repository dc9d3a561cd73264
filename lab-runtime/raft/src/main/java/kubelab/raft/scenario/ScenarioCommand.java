package kubelab.raft.scenario;

/**
 * One verb of the scenario language (and of the REPL's {@code raft} command): {@code campaign 1},
 * {@code partition 1 | 2 3}, ... Each verb is its own class (etcd's
 * interaction_env_handler_*.go shape) and prints what it did into {@link ScenarioEnv#out}.
 * A user mistake (unknown node, missing argument) is an {@link IllegalArgumentException} whose
 * message is the one line to show.
 */
public interface ScenarioCommand {
  /** The verb, e.g. {@code campaign}. */
  String name();

  /** One-line usage, e.g. {@code campaign ID}. */
  String usage();

  /** One sentence: what the verb does. */
  String help();

  void run(ScenarioEnv env, Args args);
}
