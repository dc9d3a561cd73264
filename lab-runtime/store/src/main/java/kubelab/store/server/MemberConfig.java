package kubelab.store.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import kubelab.store.Params;

/**
 * How one member runs. {@link #of} gives the defaults of {@link Params} for a founding member;
 * {@link #joining} for a member added to a running cluster. Tests shorten the timings and the
 * snapshot interval with the {@code with...} methods.
 *
 * @param name           the member's name (s1)
 * @param identity       its id, its cluster, the cluster's founders, and how it starts
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
    Identity identity,
    Duration tick,
    int electionTicks,
    int heartbeatTicks,
    Duration requestTimeout,
    long snapshotCount,
    long seed,
    long walSegmentBytes,
    long autoCompactionRetention,
    Consumer<String> log) {

  /**
   * Who a member is.
   *
   * @param id        its Raft id (founders: position of the name in sorted order; joiners: given
   *                  by {@code members add})
   * @param clusterId the founders' hash ({@link Peers#clusterId()}); never changes with the membership
   * @param founders  the members the cluster was created with (the membership at index 0)
   * @param joined    added to a running cluster: with empty storage it knows nobody and learns the
   *                  membership from the leader's log or snapshot; a founder instead begins its log
   *                  with the founders' ADD_NODE entries ({@code RawNode.bootstrap})
   * @param peersAtIndexZero the cluster's log has no bootstrap entries (its data directories
   *                  predate them): Raft starts from the founders ({@code Config.peers}), as those
   *                  logs were written
   * @param hints     where members known at join time listen (a joiner must answer the leader
   *                  before its log tells it who is who); empty for founders
   */
  public record Identity(long id, long clusterId, Peers founders, boolean joined, boolean peersAtIndexZero,
                         Map<Long, InetSocketAddress> hints) {
    public Identity {
      hints = Map.copyOf(hints);
    }

    public String clusterIdHex() {
      return String.format("%016x", clusterId);
    }
  }

  public static MemberConfig of(String name, Peers peers, Consumer<String> log) {
    Peers.Peer self = peers.byName(name);
    if (self == null) throw new IllegalArgumentException("member " + name + " is not in the peer list (" + peers + ")");
    return of(name, new Identity(self.id(), peers.clusterId(), peers, false, false, Map.of()), log);
  }

  /** A member added to a running cluster ({@code members add} gave it {@code id}). */
  public static MemberConfig joining(String name, long id, long clusterId, Peers founders, boolean peersAtIndexZero,
                                     Map<Long, InetSocketAddress> hints, Consumer<String> log) {
    return of(name, new Identity(id, clusterId, founders, true, peersAtIndexZero, hints), log);
  }

  /** A member with a known identity (a restart: from its data directory). */
  public static MemberConfig of(String name, Identity identity, Consumer<String> log) {
    return new MemberConfig(name, identity, Params.TICK, Params.ELECTION_TICKS, Params.HEARTBEAT_TICKS,
        Params.REQUEST_TIMEOUT, Params.SNAPSHOT_COUNT, 0, Params.WAL_SEGMENT_BYTES, 0, log);
  }

  public long id() {
    return identity.id();
  }

  /** The founders (the {@code --peers} the cluster was created with). */
  public Peers peers() {
    return identity.founders();
  }

  public String clusterIdHex() {
    return identity.clusterIdHex();
  }

  public MemberConfig withIdentity(Identity i) {
    return new MemberConfig(name, i, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withTiming(Duration tick, int electionTicks, Duration requestTimeout) {
    return new MemberConfig(name, identity, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withSnapshotCount(long n) {
    return new MemberConfig(name, identity, tick, electionTicks, heartbeatTicks, requestTimeout, n, seed, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withSeed(long s) {
    return new MemberConfig(name, identity, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, s, walSegmentBytes, autoCompactionRetention, log);
  }

  public MemberConfig withWalSegmentBytes(long n) {
    return new MemberConfig(name, identity, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, n, autoCompactionRetention, log);
  }

  public MemberConfig withAutoCompactionRetention(long revisions) {
    return new MemberConfig(name, identity, tick, electionTicks, heartbeatTicks, requestTimeout, snapshotCount, seed, walSegmentBytes,
        revisions, log);
  }

  /** What identifies this member's files: a WAL written by another member or cluster is refused. */
  public byte[] walMetadata() {
    return ("kubelab-store cluster=" + clusterIdHex() + " member=" + name + " id=" + id())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
