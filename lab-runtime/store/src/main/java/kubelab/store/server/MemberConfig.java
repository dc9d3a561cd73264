package kubelab.store.server;

import java.time.Duration;
import java.util.function.Consumer;
import kubelab.store.Params;

/**
 * How one member runs. {@link #of} gives the defaults of {@link Params}; tests shorten the
 * timings and the snapshot interval with the {@code with...} methods.
 *
 * @param name           the member's name (s1); its id comes from {@code peers}
 * @param peers          every member of the cluster, this one included
 * @param tick           length of one Raft tick
 * @param electionTicks  election timeout in ticks
 * @param heartbeatTicks heartbeat interval in ticks
 * @param requestTimeout how long a request waits before "request timed out"
 * @param snapshotCount  applied entries between snapshots
 * @param seed           election jitter seed (0: from the clock)
 * @param walSegmentBytes size of a preallocated WAL segment (tests use small ones)
 * @param autoCompactionRetention the leader compacts history to (revision − this) every
 *                       {@link Params#AUTO_COMPACTION_INTERVAL} (etcd's revision mode); 0: never
 *                       (etcd's default: Kubernetes' API server compacts itself)
 * @param log            where the member's event lines go (elections, warnings, start and stop)
 */
public record MemberConfig(
    String name,
    Peers peers,
    Duration tick,
    int electionTicks,
    int heartbeatTicks,
    Duration requestTimeout,
    long snapshotCount,
    long seed,
    long walSegmentBytes,
    long autoCompactionRetention,
    Consumer<String> log) {

  public MemberConfig {
    if (peers.byName(name) == null) {
      throw new IllegalArgumentException("member " + name + " is not in the peer list (" + peers + ")");
    }
  }

  public static MemberConfig of(String name, Peers peers, Consumer<String> log) {
    return new MemberConfig(name, peers, Params.TICK, Params.ELECTION_TICKS, Params.HEARTBEAT_TICKS,
        Params.REQUEST_TIMEOUT, Params.SNAPSHOT_COUNT, 0, Params.WAL_SEGMENT_BYTES, 0, log);
  }

  public long id() {
    return peers.byName(name).id();
  }

  public MemberConfig withTiming(Duration tick, int electionTicks, Duration requestTimeout) {
    return new MemberConfig(name, peers, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withSnapshotCount(long n) {
    return new MemberConfig(name, peers, tick, electionTicks, heartbeatTicks, requestTimeout, n, seed, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withSeed(long s) {
    return new MemberConfig(name, peers, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, s, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withWalSegmentBytes(long n) {
    return new MemberConfig(name, peers, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, n, autoCompactionRetention, log);
  }

  public MemberConfig withAutoCompactionRetention(long revisions) {
    return new MemberConfig(name, peers, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, walSegmentBytes,
        revisions, log);
  }

  /** What identifies this member's files: a WAL written by another member or cluster is refused. */
  public byte[] walMetadata() {
    return ("kubelab-store cluster=" + peers.clusterIdHex() + " member=" + name + " id=" + id())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
