package kubelab.raft.scenario;

import java.nio.charset.StandardCharsets;
import kubelab.raft.ProposalDroppedException;

/** {@code propose ID DATA}: the application on node ID proposes DATA; a refusal is printed, not thrown. */
public final class ProposeCommand implements ScenarioCommand {
  @Override public String name() { return "propose"; }
  @Override public String usage() { return "propose ID DATA"; }
  @Override public String help() { return "Propose DATA on node ID (a follower forwards it to the leader)."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(2);
    ScenarioEnv.Node n = env.running(args.id(0));
    try {
      n.raw.propose(args.get(1).getBytes(StandardCharsets.UTF_8));
    } catch (ProposalDroppedException e) {
      env.println(n.id + ": " + e.getMessage());
    }
  }
}
