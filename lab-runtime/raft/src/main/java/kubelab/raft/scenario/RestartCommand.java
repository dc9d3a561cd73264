package kubelab.raft.scenario;

/** {@code restart ID}: a crashed node starts again from its persisted state. */
public final class RestartCommand implements ScenarioCommand {
  @Override public String name() { return "restart"; }
  @Override public String usage() { return "restart ID"; }
  @Override public String help() { return "Restart crashed node ID from what it persisted."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(1);
    env.restart(args.id(0));
  }
}
