package kubelab.raft.scenario;

import java.util.List;
import kubelab.raft.Status;

/**
 * {@code status [ID...]}: one line per node (role, term, vote, commit, applied, leader, last
 * log entry), and for a leader one line per member with Figure 2's matchIndex and nextIndex.
 */
public final class StatusCommand implements ScenarioCommand {
  @Override public String name() { return "status"; }
  @Override public String usage() { return "status [ID...]"; }
  @Override public String help() { return "Show each node's role, term, vote, commit and applied index, and the leader's view of replication."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    List<Long> ids = args.size() == 0 ? List.copyOf(env.nodes.keySet()) : args.ids(0);
    for (long id : ids) {
      ScenarioEnv.Node n = env.node(id);
      if (n.crashed()) {
        env.println(id + ": crashed");
        continue;
      }
      Status s = n.raw.status();
      env.println(id + ": " + s.role().name().toLowerCase() + " term=" + s.term() + " vote=" + s.vote()
          + " commit=" + s.commit() + " applied=" + s.applied() + " lead=" + s.leader()
          + " last=" + s.lastTerm() + "/" + s.lastIndex()
          + (s.leadTransferee() != 0 ? " transferring-to=" + s.leadTransferee() : ""));
      s.progress().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
        Status.PeerProgress p = e.getValue();
        env.println("  " + e.getKey() + ": match=" + p.match() + " next=" + p.next() + " "
            + p.state().name().toLowerCase() + (p.learner() ? " learner" : ""));
      });
    }
  }
}
