package kubelab.raft;

import java.util.List;
import java.util.TreeMap;

/**
 * The public face of one Raft node (etcd raft's RawNode shape): feed it ticks, messages and
 * proposals; collect what it wants done as a {@link Ready}; do it in the documented order (see
 * package-info: persist, send, apply); then {@link #advance}. Pure: no threads, sockets, files or
 * clocks; the driver owns all of those.
 *
 * <p>Not safe for concurrent use: one driver calls every method, one at a time. At most one
 * {@link Ready} is outstanding: {@link #ready()} may not be called again before
 * {@link #advance(Ready)}, but {@link #step}, {@link #tick} and proposals may (what they produce
 * goes into the next Ready).
 */
public final class RawNode {
  private final RaftCore core;
  private Ready.SoftState prevSoft;
  private HardState prevHard;
  private boolean readyOutstanding;

  private RawNode(RaftCore core) {
    this.core = core;
    this.prevSoft = core.softState();
    this.prevHard = core.hardState();
  }

  /**
   * A node whose persistent state is read from {@code storage}. Its membership is the one persisted
   * with the storage's snapshot, updated by every CONF_CHANGE entry as it is applied (those up to
   * {@link Config#applied()} at once); {@link Config#peers()} counts only when storage holds no
   * membership, as the configuration at index 0 (see {@link #bootstrap} for the alternative).
   *
   * @throws IllegalStateException if the stored state is inconsistent (commit beyond the log)
   */
  public static RawNode create(Config config, Storage storage) {
    return new RawNode(new RaftCore(config, storage));
  }

  /**
   * Makes {@code voters} the initial membership of a brand-new cluster by writing it into the log
   * (etcd's {@code RawNode.Bootstrap}): one committed ADD_NODE entry per voter at indexes 1..n,
   * term 1. Call it right after {@link #create} on every founding member, with the same list, on
   * empty storage and with {@link Config#peers()} empty; the next {@link Ready} carries the entries
   * to persist and apply. From then on the membership lives only in storage (log and snapshots):
   * restarts and members added later need no peer list.
   *
   * @throws IllegalStateException if storage is not empty or Config.peers was given
   */
  public void bootstrap(List<Long> voters) {
    core.bootstrap(voters);
  }

  /** One logical clock tick; election and heartbeat timeouts are counted in ticks. */
  public void tick() {
    core.tick();
  }

  /** Start an election now (the local HUP event), as if the election timer had fired. */
  public void campaign() {
    core.step(local(MessageType.HUP).build());
  }

  /**
   * Propose a command for the replicated log. On a follower it is forwarded to the leader. It is
   * committed (or lost, if leadership changes first) later: watch the committed entries.
   *
   * @throws ProposalDroppedException if no leader is known or a leadership transfer is in progress
   */
  public void propose(byte[] data) {
    core.step(local(MessageType.PROP).entries(List.of(Entry.normal(0, 0, data))).build());
  }

  /**
   * Propose a membership change; when its entry is committed, the driver applies it with
   * {@link #applyConfChange}.
   *
   * @throws ProposalDroppedException as {@link #propose}, or if another change is still pending
   */
  public void proposeConfChange(ConfChange cc) {
    core.step(local(MessageType.PROP).entries(List.of(new Entry(0, 0, Entry.Type.CONF_CHANGE, cc.encode()))).build());
  }

  /** Called by the driver when it applies a committed CONF_CHANGE entry; returns the new membership. */
  public ConfState applyConfChange(ConfChange cc) {
    return core.applyConfChange(cc);
  }

  /**
   * A message from a peer. Local-only types (HUP, BEAT, ...) are refused; responses from nodes
   * that are not members are ignored.
   */
  public void step(Message m) {
    switch (m.type()) {
      case HUP, BEAT, UNREACHABLE, SNAP_STATUS, CHECK_QUORUM ->
          throw new IllegalArgumentException("raft: " + m.type() + " is a local message and cannot come from the network");
      case APP_RESP, VOTE_RESP, PRE_VOTE_RESP, HEARTBEAT_RESP -> {
        if (!core.trk.progress.containsKey(m.from())) return;
      }
      default -> {}
    }
    core.step(m);
  }

  /**
   * Ask for a linearizable read point. The answer comes later as a {@link ReadState} carrying
   * {@code requestCtx} (which must be unique per request) in {@link Ready#readStates()}: serve the
   * read once the state machine has applied up to its index. Without a leader the request is
   * dropped silently (as etcd does): the caller times out and retries.
   */
  public void readIndex(byte[] requestCtx) {
    core.step(local(MessageType.READ_INDEX).context(requestCtx).build());
  }

  /** Ask the leader to hand leadership to {@code to} (on a follower, the request is forwarded). */
  public void transferLeader(long to) {
    core.step(Message.builder(MessageType.TRANSFER_LEADER).from(to).to(core.id).build());
  }

  /** Whether {@link #ready()} has anything; false while a Ready is outstanding. */
  public boolean hasReady() {
    if (readyOutstanding) return false;
    return !core.softState().equals(prevSoft)
        || !core.hardState().equals(prevHard)
        || core.log.hasUnstable()
        || !core.msgs.isEmpty()
        || core.broadcastPending
        || !core.readStates.isEmpty()
        || core.log.hasNextCommittedEntries();
  }

  /**
   * Everything the driver must do now. Handle it in the package-info order, then call
   * {@link #advance(Ready)} with it.
   *
   * @throws IllegalStateException if the previous Ready was not advanced yet
   */
  public Ready ready() {
    if (readyOutstanding) throw new IllegalStateException("raft: ready() called again before advance()");
    List<Message> messages = core.takeMessages(); // first: flushing the batched broadcast may change nothing else
    Ready.SoftState soft = core.softState();
    HardState hard = core.hardState();
    List<Entry> entries = core.log.unstableEntries();
    Snapshot snap = core.log.unstable.snapshot != null ? core.log.unstable.snapshot : Snapshot.EMPTY;
    boolean termOrVoteChanged = hard.term() != prevHard.term() || hard.vote() != prevHard.vote();
    Ready rd = new Ready(
        soft.equals(prevSoft) ? null : soft,
        hard.equals(prevHard) ? null : hard,
        core.takeReadStates(),
        entries,
        snap,
        core.log.nextCommittedEntries(),
        messages,
        termOrVoteChanged || !entries.isEmpty() || !snap.isEmpty());
    prevSoft = soft;
    prevHard = hard;
    readyOutstanding = true;
    return rd;
  }

  /** The driver has persisted, sent and applied {@code rd}. */
  public void advance(Ready rd) {
    if (!readyOutstanding) throw new IllegalStateException("raft: advance() without an outstanding Ready");
    readyOutstanding = false;
    if (!rd.snapshot().isEmpty()) {
      core.log.stableSnapTo(rd.snapshot().index());
      if (rd.snapshot().index() > core.log.applied) core.log.appliedTo(rd.snapshot().index());
    }
    if (!rd.committedEntries().isEmpty()) {
      core.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      core.log.stableTo(last.index(), last.term());
    }
  }

  public Status status() {
    TreeMap<Long, Status.PeerProgress> progress = new TreeMap<>();
    if (core.role == Ready.Role.LEADER) {
      core.trk.progress.forEach((id, pr) -> progress.put(id, new Status.PeerProgress(
          pr.match, pr.next, Status.ReplicationState.valueOf(pr.state.name()), pr.isLearner, pr.recentActive)));
    }
    return new Status(core.id, core.term, core.vote, core.log.committed, core.log.applied, core.lead, core.role,
        core.log.lastIndex(), core.log.lastTerm(), core.leadTransferee, core.trk.confState(), progress);
  }

  /** The transport could not deliver to {@code id}: the leader stops streaming to it and probes. */
  public void reportUnreachable(long id) {
    core.step(Message.builder(MessageType.UNREACHABLE).from(id).to(core.id).build());
  }

  /** Whether a snapshot sent to {@code id} arrived ({@code ok}) or failed. */
  public void reportSnapshot(long id, boolean ok) {
    core.step(Message.builder(MessageType.SNAP_STATUS).from(id).to(core.id).reject(!ok).build());
  }

  /** Every entry this node still holds (persisted or not), for {@code raft log} and tests. */
  public List<Entry> logEntries() {
    return core.log.allEntries();
  }

  /** The first index still in the log (entries before it are in the snapshot). */
  public long firstIndex() {
    return core.log.firstIndex();
  }

  private Message.Builder local(MessageType type) {
    return Message.builder(type).from(core.id).to(core.id);
  }
}
