package kubelab.raft;

/**
 * Tunables of the Raft module, one per line (as xv6's param.h). {@link Config}'s DEFAULT_*
 * constants point here; the simulation and the benchmark read their knobs from here too.
 *
 * <p>Time is counted in ticks: the driver decides how long a tick is (the store uses 100 ms, as
 * etcd's default {@code --heartbeat-interval}, so an election timeout of 10 ticks is etcd's
 * default 1000 ms {@code --election-timeout}; etcd 3.5 documentation).
 */
public final class Params {
  private Params() {}

  // ---- the core ----
  /** Follower waits this many ticks (plus a random 0..this-1) without a leader before campaigning. */
  public static final int ELECTION_TICK = 10;
  /** Leader sends heartbeats every this many ticks. */
  public static final int HEARTBEAT_TICK = 1;
  /** PreVote on: a returning, partitioned node first asks "would you vote for me?" (§9.6 of the dissertation). */
  public static final boolean PRE_VOTE = true;
  /** CheckQuorum on: a leader that has not heard from a quorum for an election timeout steps down. */
  public static final boolean CHECK_QUORUM = true;
  /** Upper bound on the bytes of entries in one AppendEntries message (etcd's default: 1 MiB). */
  public static final long MAX_SIZE_PER_MSG = 1024 * 1024;
  /** AppendEntries messages a leader may have unacknowledged per follower (flow control). */
  public static final int MAX_INFLIGHT_MSGS = 256;
  /** Upper bound on the bytes of committed entries handed to the application in one Ready. */
  public static final long MAX_COMMITTED_SIZE_PER_READY = 64L * 1024 * 1024;

  // ---- the deterministic simulation (kubelab.raft.sim) ----
  /** Simulated milliseconds per tick. */
  public static final int SIM_TICK_MS = 10;
  /** Simulated duration of one schedule, in milliseconds. */
  public static final int SIM_DURATION_MS = 4_000;
  /** One-way network delay: uniform in [min, max] milliseconds (so messages reorder). */
  public static final int SIM_MIN_DELAY_MS = 1;
  public static final int SIM_MAX_DELAY_MS = 12;
  /** Probability that a message is lost, and that it is delivered twice. */
  public static final double SIM_DROP_RATE = 0.03;
  public static final double SIM_DUP_RATE = 0.02;
  /** Mean simulated milliseconds between two faults (partition, heal, crash, restart). */
  public static final int SIM_FAULT_INTERVAL_MS = 300;
  /** Probability that a node crashes right after persisting a Ready, before sending or applying it. */
  public static final double SIM_CRASH_IN_READY_RATE = 0.002;
  /** Concurrent clients and the keys they use. */
  public static final int SIM_CLIENTS = 4;
  public static final int SIM_KEYS = 3;
  /** A client gives up on an operation after this many milliseconds (its outcome is then unknown). */
  public static final int SIM_CLIENT_TIMEOUT_MS = 400;
  /** A node snapshots its state machine and compacts its log every this many applied entries. */
  public static final int SIM_SNAPSHOT_EVERY = 25;
  /** Entries kept in the log behind a snapshot, so slightly slow followers need no snapshot. */
  public static final int SIM_SNAPSHOT_KEEP = 5;
  /** Members a schedule may add (fresh ids after the founders'; ids are never reused, as in etcd). */
  public static final int SIM_MAX_JOINS = 4;
  /** Probability that a node crashes right after applying a membership change (the restart-after-change path). */
  public static final double SIM_CRASH_AFTER_CONF_CHANGE_RATE = 0.15;
  /** Of the membership changes that add a member, one in this many adds it as a learner first. */
  public static final int SIM_ADD_AS_LEARNER_ONE_IN = 3;

  // ---- the leader-churn nemesis (Figure 8's conditions; kubelab.raft.sim.LeaderChurn) ----
  /** In the MIXED fault mode, one schedule in this many runs the leader-churn nemesis. */
  public static final int SIM_CHURN_ONE_IN = 4;
  /** Probability that a newly elected leader is partitioned away at once (before its first entries leave). */
  public static final double SIM_CHURN_ISOLATE_NEW_LEADER_RATE = 0.7;
  /** Probability that a leader is partitioned away right after its commit index first advances in its term. */
  public static final double SIM_CHURN_ISOLATE_AFTER_COMMIT_RATE = 0.7;

  // ---- the linearizability checker (kubelab.raft.check) ----
  /** Search steps per key before the checker gives up and answers UNKNOWN. */
  public static final long CHECK_MAX_STEPS = 5_000_000;
}
