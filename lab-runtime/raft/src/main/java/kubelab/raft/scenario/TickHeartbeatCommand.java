package kubelab.raft.scenario;

/** {@code tick-heartbeat ID...}: let a heartbeat interval pass on each node. */
public final class TickHeartbeatCommand implements ScenarioCommand {
  @Override public String name() { return "tick-heartbeat"; }
  @Override public String usage() { return "tick-heartbeat ID..."; }
  @Override public String help() { return "Let one heartbeat interval pass on the nodes."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    if (args.size() == 0) throw args.usageError("which nodes?");
    for (long id : args.ids(0)) env.tick(id, env.running(id).config.heartbeatTick());
  }
}
