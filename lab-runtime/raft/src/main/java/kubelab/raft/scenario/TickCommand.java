package kubelab.raft.scenario;

/** {@code tick ID [N]}: N logical clock ticks (default 1) on node ID. */
public final class TickCommand implements ScenarioCommand {
  @Override public String name() { return "tick"; }
  @Override public String usage() { return "tick ID [N]"; }
  @Override public String help() { return "Tick node ID's logical clock N times."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(2);
    env.tick(args.id(0), args.size() > 1 ? args.integer(1) : 1);
  }
}
