package kubelab.raft.scenario;

import kubelab.raft.Status;

/**
 * {@code compact ID INDEX}: node ID snapshots its state at applied index INDEX and discards the
 * log up to it (§7). A follower that needs those entries later gets InstallSnapshot.
 */
public final class CompactCommand implements ScenarioCommand {
  @Override public String name() { return "compact"; }
  @Override public String usage() { return "compact ID INDEX"; }
  @Override public String help() { return "Snapshot node ID at INDEX (must be applied) and compact its log."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(2);
    ScenarioEnv.Node n = env.running(args.id(0));
    long index = args.id(1);
    Status s = n.raw.status();
    if (index > s.applied()) throw args.usageError("index " + index + " is not applied yet on " + n.id + " (applied " + s.applied() + ")");
    // The snapshot records the membership at its index; the node knows only today's (at its
    // applied index), so the two must not differ.
    if (index < s.applied() && index >= n.storage.firstIndex() - 1) {
      for (kubelab.raft.Entry e : n.storage.entries(Math.max(index + 1, n.storage.firstIndex()), s.applied() + 1, Long.MAX_VALUE)) {
        if (e.type() == kubelab.raft.Entry.Type.CONF_CHANGE) {
          throw args.usageError("cannot snapshot " + n.id + " at " + index + ": its membership changed after it (conf change at "
              + e.index() + "); snapshot at its applied index " + s.applied());
        }
      }
    }
    n.storage.createSnapshot(index, s.confState(), ("state@" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    n.storage.compact(index);
    env.println(n.id + " compacted its log up to " + index);
  }
}
