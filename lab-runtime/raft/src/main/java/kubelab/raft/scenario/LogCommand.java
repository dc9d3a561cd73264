package kubelab.raft.scenario;

import kubelab.raft.Entry;
import kubelab.raft.Status;

/** {@code log ID}: node ID's log, one entry per line, marking the commit index and the snapshot. */
public final class LogCommand implements ScenarioCommand {
  @Override public String name() { return "log"; }
  @Override public String usage() { return "log ID"; }
  @Override public String help() { return "Print node ID's log (term/index data), with its commit index."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(1);
    ScenarioEnv.Node n = env.running(args.id(0));
    Status s = n.raw.status();
    long first = n.raw.firstIndex();
    if (first > 1) env.println("(snapshot up to " + (first - 1) + ")");
    var entries = n.raw.logEntries();
    if (entries.isEmpty()) env.println("(empty log)");
    for (Entry e : entries) {
      env.println(Format.entry(e) + (e.index() <= s.commit() ? "" : "   (uncommitted)"));
    }
  }
}
