package kubelab.raft;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Configuration of one Raft node. Build it with {@link #builder(long)}; every field has a public
 * DEFAULT_* constant (the values live in {@link Params}).
 *
 * @param id              this node's id; never 0 (0 means "nobody" in votes and leaders)
 * @param electionTick    ticks a follower waits without hearing from a leader before campaigning;
 *                        the real timeout is randomized in [electionTick, 2 × electionTick) (§5.2)
 * @param heartbeatTick   ticks between two heartbeats of a leader; must be less than electionTick
 * @param preVote         run a PreVote round before a real election (dissertation §9.6)
 * @param checkQuorum     a leader steps down when it has not heard from a quorum for electionTick
 *                        ticks, and followers that recently heard a leader ignore vote requests
 *                        (dissertation §6.2 and §4.2.3)
 * @param maxSizePerMsg   upper bound on the bytes of entries in one AppendEntries message
 * @param maxInflightMsgs AppendEntries messages in flight per follower in the replicate state
 * @param applied         the last index the application has applied (on restart); committed
 *                        entries up to here are not handed out again
 * @param random          the source of election jitter; a seeded generator makes runs repeatable.
 *                        The core calls it only from its own methods, so it needs no locking.
 * @param peers           the membership at index 0: the voters a cluster was founded with. Used
 *                        only when {@link Storage} holds no membership (no snapshot yet); the
 *                        conf changes in the log are applied on top of it. So it must be the
 *                        founding members on every start of every node (never "the current
 *                        members"). Leave it empty with {@link RawNode#bootstrap}, which puts the
 *                        founding membership in the log instead.
 * @param maxCommittedSizePerReady upper bound on the bytes of committed entries in one Ready
 * @param logger          receives one line per notable event ("2 became leader at term 3"); the
 *                        scenario scripts and the store's log print these. Called synchronously;
 *                        null (the default) turns event formatting off entirely.
 * @param bug             NONE, except in tests and the simulator's bug-injection runs: switches one
 *                        safety rule off, to show that the checkers catch it
 */
public record Config(
    long id,
    int electionTick,
    int heartbeatTick,
    boolean preVote,
    boolean checkQuorum,
    long maxSizePerMsg,
    int maxInflightMsgs,
    long applied,
    RandomGenerator random,
    List<Long> peers,
    long maxCommittedSizePerReady,
    Consumer<String> logger,
    InjectedBug bug) {

  public static final int DEFAULT_ELECTION_TICK = Params.ELECTION_TICK;
  public static final int DEFAULT_HEARTBEAT_TICK = Params.HEARTBEAT_TICK;
  public static final boolean DEFAULT_PRE_VOTE = Params.PRE_VOTE;
  public static final boolean DEFAULT_CHECK_QUORUM = Params.CHECK_QUORUM;
  public static final long DEFAULT_MAX_SIZE_PER_MSG = Params.MAX_SIZE_PER_MSG;
  public static final int DEFAULT_MAX_INFLIGHT_MSGS = Params.MAX_INFLIGHT_MSGS;
  public static final long DEFAULT_MAX_COMMITTED_SIZE_PER_READY = Params.MAX_COMMITTED_SIZE_PER_READY;

  /**
   * Safety rules that a test (or a learner's "what if") can switch off. Each one breaks Raft in a
   * way the simulator must detect within a few thousand seeds.
   */
  public enum InjectedBug {
    NONE,
    /** Grant votes without the up-to-date log check (breaks the election restriction, §5.4.1). */
    VOTE_WITHOUT_LOG_CHECK,
    /** Commit any entry stored on a majority, whatever its term (breaks the Figure 8 rule, §5.4.2). */
    COMMIT_BY_COUNTING_ANY_TERM,
    /** Answer ReadIndex at once, without the heartbeat round that confirms leadership (§6.4). */
    READ_INDEX_WITHOUT_QUORUM,
    /**
     * Start with {@link Config#peers()} as the membership even when storage holds one (the
     * snapshot's): a restart forgets the membership changes its snapshot covers (§4.1).
     */
    MEMBERSHIP_FROM_CONFIG_PEERS
  }

  public Config {
    peers = List.copyOf(peers);
    if (id == 0) throw new IllegalArgumentException("raft config: id must not be 0 (0 means no node)");
    if (heartbeatTick <= 0) throw new IllegalArgumentException("raft config: heartbeatTick must be > 0, got " + heartbeatTick);
    if (electionTick <= heartbeatTick) {
      throw new IllegalArgumentException("raft config: electionTick (" + electionTick
          + ") must be greater than heartbeatTick (" + heartbeatTick + ")");
    }
    if (maxInflightMsgs <= 0) throw new IllegalArgumentException("raft config: maxInflightMsgs must be > 0");
    if (maxSizePerMsg <= 0) throw new IllegalArgumentException("raft config: maxSizePerMsg must be > 0");
    if (random == null) throw new IllegalArgumentException("raft config: random must not be null");
    if (bug == null) bug = InjectedBug.NONE;
  }

  public static Builder builder(long id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    return new Builder(id).electionTick(electionTick).heartbeatTick(heartbeatTick).preVote(preVote)
        .checkQuorum(checkQuorum).maxSizePerMsg(maxSizePerMsg).maxInflightMsgs(maxInflightMsgs)
        .applied(applied).random(random).peers(peers).maxCommittedSizePerReady(maxCommittedSizePerReady)
        .logger(logger).bug(bug);
  }

  /** Builder with the DEFAULT_* values; the default random is seeded with the id (repeatable). */
  public static final class Builder {
    private final long id;
    private int electionTick = DEFAULT_ELECTION_TICK;
    private int heartbeatTick = DEFAULT_HEARTBEAT_TICK;
    private boolean preVote = DEFAULT_PRE_VOTE;
    private boolean checkQuorum = DEFAULT_CHECK_QUORUM;
    private long maxSizePerMsg = DEFAULT_MAX_SIZE_PER_MSG;
    private int maxInflightMsgs = DEFAULT_MAX_INFLIGHT_MSGS;
    private long applied;
    private RandomGenerator random;
    private List<Long> peers = List.of();
    private long maxCommittedSizePerReady = DEFAULT_MAX_COMMITTED_SIZE_PER_READY;
    private Consumer<String> logger;
    private InjectedBug bug = InjectedBug.NONE;

    private Builder(long id) { this.id = id; }

    public Builder electionTick(int v) { electionTick = v; return this; }
    public Builder heartbeatTick(int v) { heartbeatTick = v; return this; }
    public Builder preVote(boolean v) { preVote = v; return this; }
    public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
    public Builder maxSizePerMsg(long v) { maxSizePerMsg = v; return this; }
    public Builder maxInflightMsgs(int v) { maxInflightMsgs = v; return this; }
    public Builder applied(long v) { applied = v; return this; }
    public Builder random(RandomGenerator v) { random = v; return this; }
    public Builder peers(List<Long> v) { peers = v; return this; }
    public Builder peers(long... v) { peers = java.util.Arrays.stream(v).boxed().toList(); return this; }
    public Builder maxCommittedSizePerReady(long v) { maxCommittedSizePerReady = v; return this; }
    public Builder logger(Consumer<String> v) { logger = v; return this; }
    public Builder bug(InjectedBug v) { bug = v; return this; }

    public Config build() {
      RandomGenerator r = random != null ? random : new SplittableRandom(id);
      return new Config(id, electionTick, heartbeatTick, preVote, checkQuorum, maxSizePerMsg,
          maxInflightMsgs, applied, r, peers, maxCommittedSizePerReady, logger, bug);
    }
  }
}
