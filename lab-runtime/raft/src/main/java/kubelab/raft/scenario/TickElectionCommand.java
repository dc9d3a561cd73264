package kubelab.raft.scenario;

import kubelab.raft.Ready;

/**
 * {@code tick-election ID...}: let an election timeout pass on each node. A follower or candidate
 * is ticked until its randomized timer fires (at most 2 × electionTick ticks); a leader is ticked
 * electionTick times (one CheckQuorum round). The node's pending Ready is handled first, so that
 * what the ticks produce shows whether the timer fired.
 */
public final class TickElectionCommand implements ScenarioCommand {
  @Override public String name() { return "tick-election"; }
  @Override public String usage() { return "tick-election ID..."; }
  @Override public String help() { return "Let an election timeout pass on the nodes."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    if (args.size() == 0) throw args.usageError("which nodes?");
    for (long id : args.ids(0)) {
      ScenarioEnv.Node n = env.running(id);
      while (env.processReady(n, false)) {
        // time passes: the driver handles what was pending
      }
      int et = n.config.electionTick();
      if (n.raw.status().role() == Ready.Role.LEADER) {
        env.tick(id, et);
        continue;
      }
      long term = n.raw.status().term();
      Ready.Role role = n.raw.status().role();
      for (int i = 0; i < 2 * et; i++) {
        n.raw.tick();
        var st = n.raw.status();
        if (st.term() != term || st.role() != role || n.raw.hasReady()) break;
      }
    }
  }
}
