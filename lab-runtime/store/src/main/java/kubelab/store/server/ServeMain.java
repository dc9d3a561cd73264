package kubelab.store.server;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kubelab.store.Params;

/**
 * Runs one member in the foreground until SIGTERM/SIGINT (or until it is removed from the
 * cluster): the body of {@code lab store serve}, and a plain {@code main} so tests and the
 * benchmark can start member processes with just the store's classpath ({@code java -cp ...
 * kubelab.store.server.ServeMain --name s1 ...}).
 *
 * <p>Flags: {@code --name --data --listen} (required), {@code --peers} (required on the first
 * start; see {@link StoreServer}), {@code --initial-cluster-state new|existing} (etcd's: found a
 * cluster, or join one after {@code lab store members add}); for tests and benchmarks
 * {@code --tick-ms}, {@code --election-ticks}, {@code --snapshot-count}, {@code --wal-segment-bytes};
 * {@code --auto-compaction-retention N} keeps the last N revisions (compacting every 5 minutes).
 * Event lines go to stderr with a timestamp; "ready" is printed on stdout once the port is open,
 * so a parent process can wait for it.
 */
public final class ServeMain {
  private ServeMain() {}

  /** Parsed flags of a member process. {@code peers} is null if not given (a restart). */
  public record Options(String name, Path data, InetSocketAddress listen, Peers peers, boolean existing, long tickMs, int electionTicks,
                        long snapshotCount, long walSegmentBytes, long autoCompactionRetention) {
    /** The flags' adjustments to a member's config. */
    public MemberConfig tune(MemberConfig c) {
      return c.withTiming(Duration.ofMillis(tickMs), electionTicks, Params.REQUEST_TIMEOUT).withSnapshotCount(snapshotCount)
          .withWalSegmentBytes(walSegmentBytes).withAutoCompactionRetention(autoCompactionRetention);
    }

    public StoreServer.Launch launch() {
      return new StoreServer.Launch(name, data, listen, peers, existing);
    }
  }

  /** Parses {@code --flag value} pairs; every mistake is a one-line IllegalArgumentException. */
  public static Options parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
        value = args[++i];
      }
      m.put(key, value);
    }
    for (String req : new String[] {"name", "data", "listen"}) {
      if (!m.containsKey(req)) throw new IllegalArgumentException("missing --" + req);
    }
    String state = m.getOrDefault("initial-cluster-state", "new");
    if (!state.equals("new") && !state.equals("existing")) {
      throw new IllegalArgumentException("--initial-cluster-state must be new (found a cluster) or existing (join one), not '" + state + "'");
    }
    Peers peers = m.containsKey("peers") ? Peers.parse(m.get("peers")) : null;
    String name = m.get("name");
    InetSocketAddress listen = Peers.parseHostPort(m.get("listen"), "--listen");
    if (peers != null) {
      if (peers.byName(name) == null) {
        throw new IllegalArgumentException("--name " + name + " is not in --peers " + peers + ": every member must be in the peer list");
      }
      InetSocketAddress own = peers.byName(name).address();
      if (own.getPort() != listen.getPort()) {
        throw new IllegalArgumentException("--listen port " + listen.getPort() + " differs from " + name + "'s port " + own.getPort()
            + " in --peers: peers would not reach this member");
      }
    }
    return new Options(name, Path.of(m.get("data")), listen, peers, state.equals("existing"),
        Long.parseLong(m.getOrDefault("tick-ms", String.valueOf(Params.TICK.toMillis()))),
        Integer.parseInt(m.getOrDefault("election-ticks", String.valueOf(Params.ELECTION_TICKS))),
        Long.parseLong(m.getOrDefault("snapshot-count", String.valueOf(Params.SNAPSHOT_COUNT))),
        Long.parseLong(m.getOrDefault("wal-segment-bytes", String.valueOf(Params.WAL_SEGMENT_BYTES))),
        Long.parseLong(m.getOrDefault("auto-compaction-retention", "0")));
  }

  /** Starts the member and blocks until the process is asked to stop, or the member is removed from the cluster. */
  public static void run(Options o, PrintStream out, PrintStream log) throws IOException, InterruptedException {
    StoreServer server = StoreServer.start(o.launch(), line -> log.println(Instant.now() + " " + line), o::tune, java.time.Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "kubelab-store-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.member().onRemoved(() -> {
      out.println("store member " + o.name() + " was removed from the cluster: exiting");
      out.flush();
      stopped.countDown();
    });
    Member mb = server.member();
    out.println("store member " + o.name() + " (id " + mb.id() + ", cluster " + mb.cfg.clusterIdHex()
        + ") ready on " + o.listen().getHostString() + ":" + server.address().getPort() + ", data in " + o.data());
    out.flush();
    stopped.await();
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
      run(o, System.out, System.err);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("lab store serve: " + e.getMessage());
      System.exit(2);
    }
  }
}
