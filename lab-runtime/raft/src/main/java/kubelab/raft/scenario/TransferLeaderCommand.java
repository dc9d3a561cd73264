package kubelab.raft.scenario;

/** {@code transfer-leader FROM TO}: ask node FROM (normally the leader) to hand leadership to TO. */
public final class TransferLeaderCommand implements ScenarioCommand {
  @Override public String name() { return "transfer-leader"; }
  @Override public String usage() { return "transfer-leader FROM TO"; }
  @Override public String help() { return "Ask node FROM to transfer leadership to node TO (TIMEOUT_NOW)."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(2);
    env.running(args.id(0)).raw.transferLeader(args.id(1));
  }
}
