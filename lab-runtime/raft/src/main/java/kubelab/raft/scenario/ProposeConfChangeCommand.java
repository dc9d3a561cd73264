package kubelab.raft.scenario;

import kubelab.raft.ConfChange;
import kubelab.raft.ProposalDroppedException;

/** {@code propose-conf-change ID add|remove|add-learner NODE}: a single-server membership change. */
public final class ProposeConfChangeCommand implements ScenarioCommand {
  @Override public String name() { return "propose-conf-change"; }
  @Override public String usage() { return "propose-conf-change ID add|remove|add-learner NODE"; }
  @Override public String help() { return "Propose adding or removing one member, on node ID."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(3);
    ScenarioEnv.Node n = env.running(args.id(0));
    ConfChange.Type type = switch (args.get(1)) {
      case "add" -> ConfChange.Type.ADD_NODE;
      case "remove" -> ConfChange.Type.REMOVE_NODE;
      case "add-learner" -> ConfChange.Type.ADD_LEARNER;
      default -> throw args.usageError("unknown change '" + args.get(1) + "'");
    };
    try {
      n.raw.proposeConfChange(new ConfChange(type, args.id(2), null));
    } catch (ProposalDroppedException e) {
      env.println(n.id + ": " + e.getMessage());
    }
  }
}
