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
    n.storage.createSnapshot(index, s.confState(), ("state@" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    n.storage.compact(index);
    env.println(n.id + " compacted its log up to " + index);
  }
}
