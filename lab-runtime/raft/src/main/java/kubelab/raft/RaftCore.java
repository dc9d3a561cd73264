package kubelab.raft;

import static kubelab.raft.MessageType.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import kubelab.raft.Config.InjectedBug;
import kubelab.raft.Ready.Role;

/**
 * The Raft state machine of one node, written to be read next to the paper (Ongaro and
 * Ousterhout, "In Search of an Understandable Consensus Algorithm", Figure 2) and the
 * dissertation (PreVote, CheckQuorum, ReadIndex, leadership transfer).
 *
 * <p>Design (etcd raft's): a node is a function from inputs to an outbox. Inputs are
 * {@link #step(Message)} (a message from a peer, or a local event such as HUP) and {@link #tick()}
 * (one unit of logical time). Outputs accumulate in {@link #msgs}, {@link #readStates} and the
 * {@link RaftLog} (unstable entries, commit index), and {@link RawNode} hands them to the driver in
 * a {@link Ready}. Nothing here does I/O, reads a clock or draws global randomness, so a whole
 * cluster can run in one test, step by step, and every run of a seed is the same.
 *
 * <p>This file holds what every role shares: terms (§5.1), elections and votes (§5.2, §5.4.1,
 * PreVote), role changes and membership changes. {@link Follower} holds the follower's side of
 * AppendEntries and InstallSnapshot (§5.3, §7); {@link Leader} the leader's side: replication,
 * commitment, heartbeats, ReadIndex and leadership transfer. Not safe for concurrent use: one
 * driver calls it.
 */
final class RaftCore {
  /** "Nobody": no vote cast, no leader known. Node ids are never 0. */
  static final long NONE = 0;
  /** Context of vote requests sent after TIMEOUT_NOW: receivers must not ignore them (§3.10). */
  static final byte[] CAMPAIGN_TRANSFER = "CampaignTransfer".getBytes(StandardCharsets.UTF_8);

  private enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

  final long id;
  // Persistent state (Figure 2), saved by the driver from Ready.hardState before replying.
  long term;
  long vote = NONE;
  final RaftLog log;

  Role role = Role.FOLLOWER;
  long lead = NONE;
  final ProgressTracker trk;
  final Leader leader = new Leader(this);
  final Follower follower = new Follower(this);

  /** Outbox: messages to send after the next persist (package-info, step 2). */
  final List<Message> msgs = new ArrayList<>();
  /** ReadIndex answers for the application. */
  final List<ReadState> readStates = new ArrayList<>();
  final ReadOnly readOnly = new ReadOnly();
  /** ReadIndex requests that wait until the leader has committed an entry of its term (§6.4). */
  final List<Message> pendingReadIndex = new ArrayList<>();
  /** Set when the leader has new entries or a new commit index for followers; see {@link #flushBroadcast()}. */
  boolean broadcastPending;

  /** The member a leadership transfer is going to, or NONE. */
  long leadTransferee = NONE;
  /** Index of the last conf change appended by this leader; a new one waits until it is applied. */
  long pendingConfIndex;

  // Timers, in ticks.
  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;
  final int electionTimeout;
  final int heartbeatTimeout;

  final boolean preVote;
  final boolean checkQuorum;
  final long maxSizePerMsg;
  final InjectedBug bug;
  private final RandomGenerator random;
  private final Consumer<String> logger;

  RaftCore(Config c, Storage storage) {
    this.id = c.id();
    this.electionTimeout = c.electionTick();
    this.heartbeatTimeout = c.heartbeatTick();
    this.preVote = c.preVote();
    this.checkQuorum = c.checkQuorum();
    this.maxSizePerMsg = c.maxSizePerMsg();
    this.random = c.random();
    this.logger = c.logger();
    this.bug = c.bug();
    this.log = new RaftLog(storage, c.maxCommittedSizePerReady(), logger == null ? null : line -> event("%d %s", id, line));
    this.trk = new ProgressTracker(c.maxInflightMsgs());

    // Membership on start (dissertation §4.1: a server always uses the latest configuration in
    // its log; here, as in etcd, the latest one *applied*). It is the configuration persisted with
    // the snapshot, then every CONF_CHANGE entry after the snapshot as it is applied. Config.peers
    // stands for "the configuration at index 0" and is used only when storage holds none.
    Storage.InitialState is = storage.initialState();
    ConfState cs = is.confState();
    boolean stored = !cs.voters().isEmpty() || !cs.learners().isEmpty();
    if (!stored || (c.bug() == InjectedBug.MEMBERSHIP_FROM_CONFIG_PEERS && !c.peers().isEmpty())) {
      cs = new ConfState(c.peers(), List.of());
    }
    trk.reset(cs, log.lastIndex() + 1);
    HardState hs = is.hardState();
    if (!hs.isEmpty()) {
      if (hs.commit() < log.committed || hs.commit() > log.lastIndex()) {
        throw new IllegalStateException("raft: " + id + " state.commit " + hs.commit() + " is out of range ["
            + log.committed + ", " + log.lastIndex() + "]");
      }
      term = hs.term();
      vote = hs.vote();
      log.committed = hs.commit();
    }
    if (c.applied() > 0) {
      log.appliedTo(c.applied());
      replayAppliedConfChanges();
    }
    event("%d started: term %d, commit %d, applied %d, last index %d, last term %d, voters %s",
        id, term, log.committed, log.applied, log.lastIndex(), log.lastTerm(), trk.voters);
    becomeFollower(term, NONE);
  }

  /**
   * Entries in (snapshot, applied] are not handed to the driver again (Config.applied), so the
   * driver will not call applyConfChange for the membership changes among them: apply them here,
   * or a node restarted with {@code applied} beyond its snapshot would come back with the
   * snapshot's (older) membership.
   */
  private void replayAppliedConfChanges() {
    // The stored membership is the snapshot's; entries up to the snapshot index may still be in
    // the log (compaction keeps a tail for slow followers) but are already in it.
    long snap;
    try {
      snap = log.storage.snapshot().index();
    } catch (Storage.SnapshotUnavailableException e) {
      snap = log.firstIndex() - 1;
    }
    long lo = Math.max(snap + 1, log.firstIndex());
    if (log.applied < lo) return;
    for (Entry e : log.slice(lo, log.applied + 1, Long.MAX_VALUE)) {
      if (e.type() == Entry.Type.CONF_CHANGE) applyConfChange(ConfChange.decode(e.data()));
    }
  }

  /**
   * Writes the initial membership of a brand-new cluster into the log, as etcd's
   * {@code RawNode.Bootstrap} does: one ADD_NODE entry per voter at indexes 1..n, term 1, already
   * committed (every founding member writes the same entries, so they agree without a vote). The
   * driver persists and applies them from the next Ready like any other committed entries; the
   * node becomes a voter when it applies them.
   *
   * <p>Why: with the membership in the log (and, after compaction, in snapshots), a node never
   * needs {@link Config#peers()} again. A restart rebuilds it from storage, and a member added
   * later starts from empty storage knowing nobody: the log or a snapshot it receives tells it
   * everything.
   *
   * @throws IllegalStateException unless storage is empty and Config.peers was empty
   */
  void bootstrap(List<Long> voters) {
    if (voters.isEmpty()) throw new IllegalArgumentException("raft: bootstrap needs at least one voter");
    if (log.lastIndex() != 0 || term != 0 || vote != NONE || log.committed != 0) {
      throw new IllegalStateException("raft: " + id + " cannot bootstrap: storage is not empty (last index "
          + log.lastIndex() + ", term " + term + ")");
    }
    if (!trk.voters.isEmpty() || !trk.learners.isEmpty()) {
      throw new IllegalStateException("raft: " + id + " cannot bootstrap: Config.peers already set the membership " + trk.voters);
    }
    becomeFollower(1, NONE);
    List<Entry> ents = new ArrayList<>(voters.size());
    for (int i = 0; i < voters.size(); i++) {
      ents.add(new Entry(1, i + 1, Entry.Type.CONF_CHANGE, new ConfChange(ConfChange.Type.ADD_NODE, voters.get(i), null).encode()));
    }
    log.append(ents);
    log.committed = ents.size();
    event("%d bootstrapped a new cluster: add-node entries for %s at indexes 1..%d, term 1, committed", id, voters, ents.size());
  }

  // ---------------------------------------------------------------- inputs

  /** One tick of logical time: the election timer of followers and candidates, the heartbeat timer of a leader. */
  void tick() {
    if (role == Role.LEADER) tickHeartbeat(); else tickElection();
  }

  private void tickElection() {
    electionElapsed++;
    // "If election timeout elapses without receiving AppendEntries RPC from current leader or
    // granting vote to candidate: convert to candidate" (§5.2)
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      step(local(HUP));
    }
  }

  private void tickHeartbeat() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= electionTimeout) {
      electionElapsed = 0;
      if (checkQuorum) step(local(CHECK_QUORUM));
      // A transfer that did not finish within an election timeout is abandoned (§3.10).
      if (role == Role.LEADER && leadTransferee != NONE) {
        event("%d [term %d] abandons the leadership transfer to %d: it did not finish within an election timeout", id, term, leadTransferee);
        abortLeaderTransfer();
      }
    }
    if (role != Role.LEADER) return;
    if (heartbeatElapsed >= heartbeatTimeout) {
      heartbeatElapsed = 0;
      step(local(BEAT));
    }
  }

  /** Processes one message: a peer's, or a local event (term 0). */
  void step(Message m) {
    // "If RPC request or response contains term T > currentTerm: set currentTerm = T, convert to follower (§5.1)"
    if (m.term() == 0) {
      // A local message (or a forwarded proposal / read request): no term to check.
    } else if (m.term() > term) {
      if (m.type() == VOTE || m.type() == PRE_VOTE) {
        boolean force = Arrays.equals(m.context(), CAMPAIGN_TRANSFER);
        boolean inLease = checkQuorum && lead != NONE && electionElapsed < electionTimeout;
        if (!force && inLease) {
          // We heard from a live leader less than an election timeout ago: a candidate with a
          // higher term is a disruptive server (dissertation §4.2.3); do not even bump our term.
          event("%d [logterm: %d, index: %d, vote: %d] ignored %s from %d [logterm: %d, index: %d] at term %d: lease is not expired (remaining ticks: %d)",
              id, log.lastTerm(), log.lastIndex(), vote, m.type(), m.from(), m.logTerm(), m.index(), term, electionTimeout - electionElapsed);
          return;
        }
      }
      if (m.type() == PRE_VOTE) {
        // A PreVote never changes our term: the sender has not started an election yet.
      } else if (m.type() == PRE_VOTE_RESP && !m.reject()) {
        // A granted PreVote carries the future term we asked about; we become candidate only with a quorum.
      } else {
        event("%d [term: %d] received %s with higher term from %d [term: %d]", id, term, m.type(), m.from(), m.term());
        boolean fromLeader = m.type() == APP || m.type() == HEARTBEAT || m.type() == SNAP;
        becomeFollower(m.term(), fromLeader ? m.from() : NONE);
      }
    } else if (m.term() < term) {
      if ((checkQuorum || preVote) && (m.type() == HEARTBEAT || m.type() == APP)) {
        // A stale leader: answer with our term so that it steps down. Without this, a node whose
        // term rose in a partition could never rejoin, because with PreVote/CheckQuorum nobody
        // adopts its term through vote requests.
        send(out(APP_RESP, m.from()).build());
      } else if (m.type() == PRE_VOTE) {
        event("%d [logterm: %d, index: %d, vote: %d] rejected %s from %d [logterm: %d, index: %d] at term %d",
            id, log.lastTerm(), log.lastIndex(), vote, m.type(), m.from(), m.logTerm(), m.index(), term);
        send(out(PRE_VOTE_RESP, m.from()).reject(true).build());
      } else {
        // "Reply false if term < currentTerm (§5.1)": a stale message is simply dropped.
        event("%d [term: %d] ignored %s with lower term from %d [term: %d]", id, term, m.type(), m.from(), m.term());
      }
      return;
    }

    switch (m.type()) {
      case HUP -> hup(false);
      case VOTE, PRE_VOTE -> handleRequestVote(m);
      default -> {
        switch (role) {
          case LEADER -> leader.step(m);
          case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
          case FOLLOWER -> follower.step(m);
        }
      }
    }
  }

  // ---------------------------------------------------------------- elections (§5.2)

  void hup(boolean transfer) {
    if (role == Role.LEADER) {
      event("%d ignoring HUP: already leader", id);
      return;
    }
    if (!promotable()) {
      event("%d is not a voter and cannot campaign", id);
      return;
    }
    if (hasUnappliedConfChanges()) {
      event("%d cannot campaign at term %d: configuration changes are committed but not applied yet", id, term);
      return;
    }
    event("%d is starting a new election at term %d", id, term);
    if (transfer) campaign(CampaignType.TRANSFER);
    else if (preVote) campaign(CampaignType.PRE_ELECTION);
    else campaign(CampaignType.ELECTION);
  }

  /**
   * "On conversion to candidate, start election: increment currentTerm, vote for self, reset
   * election timer, send RequestVote RPCs to all other servers" (Figure 2). With PreVote, first
   * ask at term+1 without changing anything, and start the real election only with a quorum of
   * would-be votes.
   */
  private void campaign(CampaignType type) {
    long voteTerm;
    MessageType voteType;
    if (type == CampaignType.PRE_ELECTION) {
      becomePreCandidate();
      voteType = PRE_VOTE;
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      voteType = VOTE;
      voteTerm = term;
    }
    trk.recordVote(id, true);
    if (trk.tallyVotes() == ProgressTracker.VoteResult.WON) {
      // A single-voter cluster wins at once.
      if (type == CampaignType.PRE_ELECTION) campaign(CampaignType.ELECTION); else becomeLeader();
      return;
    }
    for (long peer : trk.voters) {
      if (peer == id) continue;
      event("%d [logterm: %d, index: %d] sent %s request to %d at term %d", id, log.lastTerm(), log.lastIndex(), voteType, peer, voteTerm);
      send(Message.builder(voteType).from(id).to(peer).term(voteTerm)
          .index(log.lastIndex()).logTerm(log.lastTerm())
          .context(type == CampaignType.TRANSFER ? CAMPAIGN_TRANSFER : null).build());
    }
  }

  /**
   * The RequestVote receiver (Figure 2), for real votes and PreVotes. The term check and the
   * step-down on a higher term happened in {@link #step}. Then: "If votedFor is null or
   * candidateId, and candidate's log is at least as up-to-date as receiver's log, grant vote
   * (§5.2, §5.4)". One vote per term, first come first served.
   */
  void handleRequestVote(Message m) {
    MessageType respType = m.type() == VOTE ? VOTE_RESP : PRE_VOTE_RESP;
    boolean canVote =
        vote == m.from() // we already voted for it in this term: say so again (the answer may have been lost)
        || (vote == NONE && lead == NONE) // we have not voted and know no leader in this term
        || (m.type() == PRE_VOTE && m.term() > term); // a PreVote for a future term binds nothing
    // Election restriction (§5.4.1): never elect a candidate that might lack committed entries.
    boolean upToDate = bug == InjectedBug.VOTE_WITHOUT_LOG_CHECK || log.isUpToDate(m.index(), m.logTerm());
    if (canVote && upToDate) {
      event("%d [logterm: %d, index: %d, vote: %d] cast %s for %d [logterm: %d, index: %d] at term %d",
          id, log.lastTerm(), log.lastIndex(), vote, m.type(), m.from(), m.logTerm(), m.index(), term);
      // A PreVote is answered with the term it asked about, so the candidate can count it.
      send(Message.builder(respType).from(id).to(m.from()).term(m.term()).build());
      if (m.type() == VOTE) {
        electionElapsed = 0; // granting a vote resets the election timer (Figure 2)
        vote = m.from();
      }
    } else {
      event("%d [logterm: %d, index: %d, vote: %d] rejected %s from %d [logterm: %d, index: %d] at term %d",
          id, log.lastTerm(), log.lastIndex(), vote, m.type(), m.from(), m.logTerm(), m.index(), term);
      send(Message.builder(respType).from(id).to(m.from()).term(term).reject(true).build());
    }
  }

  private void stepCandidate(Message m) {
    MessageType myVoteResp = role == Role.PRE_CANDIDATE ? PRE_VOTE_RESP : VOTE_RESP;
    switch (m.type()) {
      case PROP -> dropProposal(m, "no leader at term " + term + " (" + id + " is campaigning)");
      // "If AppendEntries RPC received from new leader: convert to follower" (§5.2)
      case APP -> { becomeFollower(m.term(), m.from()); follower.handleAppendEntries(m); }
      case HEARTBEAT -> { becomeFollower(m.term(), m.from()); follower.handleHeartbeat(m); }
      case SNAP -> { becomeFollower(m.term(), m.from()); follower.handleSnapshot(m); }
      case VOTE_RESP, PRE_VOTE_RESP -> {
        if (m.type() != myVoteResp) return;
        trk.recordVote(m.from(), !m.reject());
        String what = (m.type() == PRE_VOTE_RESP ? "PRE_VOTE" : "VOTE") + (m.reject() ? " rejection" : "");
        event("%d received a %s from %d at term %d (%d granted, %d rejected)", id, what, m.from(), term,
            trk.grantedVotes(), trk.rejectedVotes());
        switch (trk.tallyVotes()) {
          // "If votes received from majority of servers: become leader" (§5.2)
          case WON -> { if (role == Role.PRE_CANDIDATE) campaign(CampaignType.ELECTION); else becomeLeader(); }
          case LOST -> becomeFollower(term, NONE);
          case PENDING -> {}
        }
      }
      case TIMEOUT_NOW -> event("%d [term %d state %s] ignored TIMEOUT_NOW from %d", id, term, role, m.from());
      default -> {}
    }
  }

  // ---------------------------------------------------------------- roles

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
    event("%d became follower at term %d", id, term);
  }

  private void becomePreCandidate() {
    // Changes neither the term nor the vote: that is the point of PreVote.
    trk.resetVotes();
    lead = NONE;
    role = Role.PRE_CANDIDATE;
    event("%d became pre-candidate at term %d", id, term);
  }

  private void becomeCandidate() {
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
    event("%d became candidate at term %d", id, term);
  }

  private void becomeLeader() {
    reset(term);
    lead = id;
    role = Role.LEADER;
    Progress self = trk.progress.get(id);
    self.becomeReplicate();
    self.recentActive = true;
    // Conservatively, no conf change until everything in our log is applied.
    pendingConfIndex = log.lastIndex();
    event("%d became leader at term %d", id, term);
    // §8 and Figure 8: a new leader appends a no-op entry of its term. Committing it commits every
    // earlier entry, and tells the leader its commit index (needed by ReadIndex, §6.4).
    leader.appendEntries(List.of(Entry.normal(0, 0, Entry.EMPTY)));
  }

  /** Common to every role change: a new term clears the vote; timers and leader state restart. */
  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = NONE;
    }
    lead = NONE;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    // Randomized election timeouts in [electionTimeout, 2 × electionTimeout) make split votes rare (§5.2).
    randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
    abortLeaderTransfer();
    trk.resetVotes();
    long last = log.lastIndex();
    trk.progress.replaceAll((pid, old) -> {
      Progress p = new Progress(last + 1, old.inflights.capacity(), old.isLearner);
      if (pid == id) p.match = last;
      return p;
    });
    pendingConfIndex = 0;
    readOnly.clear();
    pendingReadIndex.clear();
    broadcastPending = false;
  }

  void abortLeaderTransfer() {
    leadTransferee = NONE;
  }

  /** Whether this node may become leader: it is a voter of the current configuration. */
  boolean promotable() {
    return trk.isVoter(id);
  }

  private boolean hasUnappliedConfChanges() {
    if (log.committed <= log.applied) return false;
    long lo = Math.max(log.applied + 1, log.firstIndex());
    for (Entry e : log.slice(lo, log.committed + 1, Long.MAX_VALUE)) {
      if (e.type() == Entry.Type.CONF_CHANGE) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- membership (single-server changes)

  /**
   * Applies a committed conf change: the new configuration takes effect when the entry is
   * applied, and a leader proposes the next one only after that (one change at a time, so any
   * majority of the old and of the new configuration overlap).
   */
  ConfState applyConfChange(ConfChange cc) {
    long next = log.lastIndex() + 1;
    switch (cc.type()) {
      case ADD_NODE -> trk.addVoter(cc.nodeId(), next);
      case ADD_LEARNER -> trk.addLearner(cc.nodeId(), next);
      case REMOVE_NODE -> {
        trk.remove(cc.nodeId());
        if (cc.nodeId() == leadTransferee) abortLeaderTransfer();
      }
    }
    event("%d switched to configuration voters=%s learners=%s", id, trk.voters, trk.learners);
    if (role == Role.LEADER) {
      if (!trk.isVoter(id)) {
        becomeFollower(term, NONE); // a leader removed from the cluster steps down
      } else {
        // The quorum may be smaller now, or a new member needs entries.
        if (leader.maybeAdvanceCommit()) leader.onCommitAdvanced();
        broadcastPending = true;
      }
    }
    return trk.confState();
  }

  // ---------------------------------------------------------------- outbox

  /** A message to a peer, stamped with our id and current term. */
  Message.Builder out(MessageType type, long to) {
    return Message.builder(type).from(id).to(to).term(term);
  }

  private Message local(MessageType type) {
    return Message.builder(type).from(id).to(id).build();
  }

  void send(Message m) {
    msgs.add(m);
  }

  /**
   * A proposal that cannot be accepted. A local one (from this node's application) throws so the
   * caller learns at once; a forwarded one is dropped (its proposer times out and retries).
   */
  void dropProposal(Message m, String reason) {
    if (m.from() == id) throw new ProposalDroppedException(reason);
    event("%d dropped a proposal forwarded by %d: %s", id, m.from(), reason);
  }

  /** Sends what the leader batched: new entries and the new commit index, one message per follower. */
  void flushBroadcast() {
    if (!broadcastPending) return;
    broadcastPending = false;
    if (role == Role.LEADER) leader.bcastAppend();
  }

  List<Message> takeMessages() {
    flushBroadcast();
    if (msgs.isEmpty()) return List.of();
    List<Message> out = List.copyOf(msgs);
    msgs.clear();
    return out;
  }

  List<ReadState> takeReadStates() {
    if (readStates.isEmpty()) return List.of();
    List<ReadState> out = List.copyOf(readStates);
    readStates.clear();
    return out;
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed);
  }

  Ready.SoftState softState() {
    return new Ready.SoftState(lead, role);
  }

  void event(String format, Object... args) {
    if (logger != null) logger.accept(String.format(format, args));
  }

  boolean logging() {
    return logger != null;
  }
}
