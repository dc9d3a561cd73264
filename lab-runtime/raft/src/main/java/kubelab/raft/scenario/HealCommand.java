package kubelab.raft.scenario;

/** {@code heal}: remove every partition. */
public final class HealCommand implements ScenarioCommand {
  @Override public String name() { return "heal"; }
  @Override public String usage() { return "heal"; }
  @Override public String help() { return "Remove every partition."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(0);
    env.groups.clear();
    env.println("healed");
  }
}
