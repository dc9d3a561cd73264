package kubelab.raft.scenario;

/** {@code crash ID}: the node stops; what it persisted survives, what it had only in memory is lost. */
public final class CrashCommand implements ScenarioCommand {
  @Override public String name() { return "crash"; }
  @Override public String usage() { return "crash ID"; }
  @Override public String help() { return "Crash node ID (its persisted log and hard state survive)."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(1);
    env.crash(args.id(0));
  }
}
