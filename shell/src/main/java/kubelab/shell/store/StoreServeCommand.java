package kubelab.shell.store;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.store.Params;
import kubelab.store.server.ServeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab store serve}: one store member in the foreground, until Ctrl-C or SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run one store member (a mini etcd member) in the foreground until Ctrl-C (or until it is removed from the cluster).",
      "",
      "To found a cluster, start every member with the same --peers; the member named --name listens on --listen,",
      "whose port must be its own port in --peers (one port serves peers and clients).",
      "To add a member to a running cluster: lab store members add NAME HOST:PORT --endpoints ..., then start it",
      "with --initial-cluster-state existing and --peers listing the members and itself (members add prints the line).",
      "A restart takes its identity and members from --data; --peers may then be left out.",
      "Example (three terminals):",
      "  lab store serve --name s1 --data /tmp/s1 --listen 127.0.0.1:2379 --peers s1=127.0.0.1:2379,s2=127.0.0.1:22379,s3=127.0.0.1:32379"
    })
public final class StoreServeCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "This member's name, as in --peers.") String name;
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory (WAL and snapshots); created if missing.") String data;
  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Address to listen on for peers and clients.") String listen;
  @Option(names = "--peers", paramLabel = "NAME=HOST:PORT,...",
      description = "Every member of the cluster, this one included (needed on the first start; etcd's --initial-cluster).") String peers;
  @Option(names = "--initial-cluster-state", paramLabel = "new|existing", defaultValue = "new",
      description = "new: found a cluster with --peers; existing: join a running cluster after 'members add' (default: ${DEFAULT-VALUE}).")
  String initialClusterState;
  @Option(names = "--tick-ms", hidden = true) Long tickMs;
  @Option(names = "--election-ticks", hidden = true) Integer electionTicks;
  @Option(names = "--snapshot-count", description = "Applied entries between snapshots (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + Params.SNAPSHOT_COUNT) long snapshotCount;

  @Option(names = "--auto-compaction-retention", defaultValue = "0", paramLabel = "REVISIONS",
      description = "Keep this many revisions of history, compacting every 5 minutes (0, the default: never; the API server compacts).")
  long autoCompactionRetention;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(List.of("--name", name, "--data", data, "--listen", listen,
        "--initial-cluster-state", initialClusterState,
        "--snapshot-count", String.valueOf(snapshotCount), "--auto-compaction-retention", String.valueOf(autoCompactionRetention)));
    if (peers != null) args.addAll(List.of("--peers", peers));
    if (tickMs != null) args.addAll(List.of("--tick-ms", String.valueOf(tickMs)));
    if (electionTicks != null) args.addAll(List.of("--election-ticks", String.valueOf(electionTicks)));
    ServeMain.Options o = ServeMain.parse(args.toArray(String[]::new));
    ServeMain.run(o, new PrintStream(System.out, true), System.err);
    return 0;
  }
}
