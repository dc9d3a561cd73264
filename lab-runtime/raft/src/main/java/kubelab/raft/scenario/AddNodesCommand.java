package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.Config;

/**
 * {@code add-nodes N [prevote=B] [checkquorum=B] [election=T] [heartbeat=T] [max-inflight=N]
 * [max-msg-size=BYTES] [bug=NAME]}: adds N nodes ({@code max-msg-size=1}: one entry per message). The first call makes a brand-new cluster of those nodes; a later call
 * adds nodes that know the founding members but are not members yet (add them with
 * {@code propose-conf-change}); they learn the current membership from the log or a snapshot.
 */
public final class AddNodesCommand implements ScenarioCommand {
  @Override public String name() { return "add-nodes"; }
  @Override public String usage() { return "add-nodes N [prevote=true] [checkquorum=true] [election=10] [heartbeat=1] [max-inflight=256] [max-msg-size=BYTES] [bug=NONE]"; }
  @Override public String help() { return "Add N nodes (a new cluster if there are none yet)."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    int n = args.integer(0);
    args.expectAtMost(1);
    if (n <= 0) throw args.usageError("N must be positive");
    long first = env.nodes.isEmpty() ? 1 : env.nodes.lastKey() + 1;
    List<Long> peers = new ArrayList<>();
    if (env.nodes.isEmpty()) {
      for (long id = first; id < first + n; id++) peers.add(id);
    } else {
      // Newcomers get the founding members as Config.peers (the membership at index 0), as every
      // node does on every start: the conf changes in the log they receive, or the snapshot, take
      // them to the current membership. They are not in it yet, so they cannot campaign.
      peers.addAll(env.nodes.firstEntry().getValue().config.peers());
    }
    Config.InjectedBug bug;
    try {
      bug = Config.InjectedBug.valueOf(args.option("bug", "NONE"));
    } catch (IllegalArgumentException e) {
      throw args.usageError("unknown bug " + args.option("bug", ""));
    }
    for (long id = first; id < first + n; id++) {
      env.addNode(Config.builder(id)
          .peers(peers)
          .preVote(args.flag("prevote", Config.DEFAULT_PRE_VOTE))
          .checkQuorum(args.flag("checkquorum", Config.DEFAULT_CHECK_QUORUM))
          .electionTick(args.intOption("election", Config.DEFAULT_ELECTION_TICK))
          .heartbeatTick(args.intOption("heartbeat", Config.DEFAULT_HEARTBEAT_TICK))
          .maxInflightMsgs(args.intOption("max-inflight", Config.DEFAULT_MAX_INFLIGHT_MSGS))
          .maxSizePerMsg(args.intOption("max-msg-size", (int) Config.DEFAULT_MAX_SIZE_PER_MSG))
          .bug(bug));
    }
  }
}
