package kubelab.store;

import java.time.Duration;

/**
 * Tunables of the store, one per line (xv6's param.h). Defaults follow etcd 3.4 where etcd has
 * the same knob; the comment says so. Timeouts in ticks belong to the Raft config built from
 * these by the member.
 */
public final class Params {
  private Params() {}

  // --- Raft timing (etcd: --heartbeat-interval=100ms, --election-timeout=1000ms) -------------------
  /** Length of one Raft tick. */
  public static final Duration TICK = Duration.ofMillis(100);
  /** Heartbeat interval in ticks (etcd: 100 ms). */
  public static final int HEARTBEAT_TICKS = 1;
  /** Election timeout in ticks (etcd: 1000 ms); the core randomizes it in [n, 2n). */
  public static final int ELECTION_TICKS = 10;
  /** Largest total size of entries in one append message (etcd: 1 MiB). */
  public static final long MAX_MSG_BYTES = 1 << 20;
  /** Most append messages in flight to one follower before waiting for acks (etcd: 4096/256). */
  public static final int MAX_INFLIGHT_MSGS = 256;

  // --- Requests ------------------------------------------------------------------------------------
  /** How long a write or linearizable read waits to commit before failing "request timed out" (etcd: 5 s + election). */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(7);
  /** Largest request (etcd: --max-request-bytes=1.5 MiB). */
  public static final int MAX_REQUEST_BYTES = 3 * 512 * 1024;
  /** Most proposals the member batches into one Raft step before it persists (group commit). */
  public static final int MAX_PROPOSAL_BATCH = 1024;

  // --- Snapshots and log compaction (etcd: --snapshot-count=100000, SnapshotCatchUpEntries=5000) ---
  /** Applied entries between two snapshots of the state machine. */
  public static final long SNAPSHOT_COUNT = 100_000;
  /** Entries kept in the in-memory log behind a snapshot, so slow followers catch up without one. */
  public static final long SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
  /** Recently applied entries whose resulting revision a member remembers, for {@code lab store log --decode}. */
  public static final int LOG_REVISIONS_KEPT = 8192;
  /** Most entries one {@code lab store log} request returns. */
  public static final int LOG_PAGE_MAX = 10_000;
  /** Snapshot files kept on disk (etcd: --max-snapshots=5). */
  public static final int MAX_SNAPSHOTS = 5;

  // --- History (etcd: --auto-compaction-mode=revision; Kubernetes compacts every 5 min) ----------
  /** How often a leader with auto-compaction on compacts. */
  public static final Duration AUTO_COMPACTION_INTERVAL = Duration.ofMinutes(5);

  // --- WAL (etcd: 64 MiB segments, preallocated) -------------------------------------------------
  /**
   * Size at which the WAL cuts a new segment file (preallocated, zero-filled). A quarter of etcd's
   * 64 MiB: a lab starts and throws away clusters often, and each new member zero-fills its first
   * segment before it starts; 16 MiB still holds about 50,000 writes of 256 bytes.
   */
  public static final long WAL_SEGMENT_BYTES = 16L << 20;
  /** WAL segment files kept behind the newest snapshot (etcd: --max-wals=5). */
  public static final int MAX_WALS = 5;

  // --- Leases (etcd: minimum TTL = 3/2 × election timeout, rounded up to seconds) -----------------
  /** The shortest TTL a lease is granted with. */
  public static final long MIN_LEASE_TTL_SECONDS = 2;
  /** How often the leader looks for expired leases (etcd: 500 ms). */
  public static final Duration LEASE_CHECK_INTERVAL = Duration.ofMillis(500);

  // --- Watch ---------------------------------------------------------------------------------------
  /** Interval of progress notifications to watches that asked for them (etcd: 10 min). */
  public static final Duration WATCH_PROGRESS_INTERVAL = Duration.ofMinutes(10);
  /** Most events handed to a listener in one call while a watch catches up on history. */
  public static final int WATCH_BATCH_EVENTS = 1000;

  // --- Transport -----------------------------------------------------------------------------------
  /** Largest frame accepted on a connection (a snapshot may be large). */
  public static final int MAX_FRAME_BYTES = 512 << 20;
  /** Messages queued for one peer before new ones are dropped (and the peer reported unreachable). */
  public static final int PEER_QUEUE_MESSAGES = 4096;
  /** First and longest wait between reconnect attempts to a peer or a server. */
  public static final Duration RECONNECT_MIN = Duration.ofMillis(50);
  public static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
  /** How often a multi-endpoint client asks which member leads, to send its requests there. */
  public static final Duration LEADER_DISCOVERY_INTERVAL = Duration.ofSeconds(2);
  /** Connect timeout for one TCP connection attempt. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
}
