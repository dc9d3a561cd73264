package kubelab.raft;

import static kubelab.raft.MessageType.*;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.Config.InjectedBug;

/**
 * The leader's side of Raft (Figure 2, "Rules for Servers: Leaders"): accept proposals, replicate
 * them with AppendEntries and the consistency check (§5.3), advance the commit index by counting
 * replicas of current-term entries (§5.4.2, Figure 8), send heartbeats, step down without a quorum
 * (CheckQuorum), answer ReadIndex requests (§6.4) and hand leadership over (§3.10).
 *
 * <p>Batching: a proposal only appends to the log and sets {@code broadcastPending}; the
 * AppendEntries messages are built once per {@link Ready} ({@link RaftCore#flushBroadcast()}), so
 * a thousand proposals between two Readys travel as one message per follower. Same for the commit
 * index: many acknowledgements advance it once, and one broadcast tells the followers.
 *
 * <p>Runs inside {@link RaftCore}'s methods, on the same single driver.
 */
final class Leader {
  private final RaftCore r;

  Leader(RaftCore r) {
    this.r = r;
  }

  void step(Message m) {
    switch (m.type()) {
      case BEAT -> bcastHeartbeat();
      case CHECK_QUORUM -> checkQuorum();
      case PROP -> handlePropose(m);
      case READ_INDEX -> handleReadIndex(m);
      case TRANSFER_LEADER -> handleTransferLeader(m);
      default -> {
        Progress pr = r.trk.progress.get(m.from());
        if (pr == null) return; // a member that was removed
        switch (m.type()) {
          case APP_RESP -> handleAppendResponse(m, pr);
          case HEARTBEAT_RESP -> handleHeartbeatResponse(m, pr);
          case SNAP_STATUS -> handleSnapStatus(m, pr);
          case UNREACHABLE -> {
            // The transport failed: stop streaming optimistically, probe again.
            if (pr.state == Progress.State.REPLICATE) pr.becomeProbe();
          }
          default -> {}
        }
      }
    }
  }

  // ---------------------------------------------------------------- proposals and commitment

  private void handlePropose(Message m) {
    if (m.entries().isEmpty()) throw new IllegalArgumentException("raft: empty proposal");
    if (!r.trk.progress.containsKey(r.id)) {
      r.dropProposal(m, r.id + " was removed from the cluster");
      return;
    }
    if (r.leadTransferee != RaftCore.NONE) {
      r.dropProposal(m, "leadership transfer to " + r.leadTransferee + " in progress");
      return;
    }
    for (int i = 0; i < m.entries().size(); i++) {
      if (m.entries().get(i).type() != Entry.Type.CONF_CHANGE) continue;
      // One membership change at a time: the next waits until the previous one is applied.
      if (r.pendingConfIndex > r.log.applied) {
        r.dropProposal(m, "a configuration change is already pending (index " + r.pendingConfIndex
            + ", applied " + r.log.applied + ")");
        return;
      }
      r.pendingConfIndex = r.log.lastIndex() + i + 1;
    }
    appendEntries(m.entries());
  }

  /**
   * "If command received from client: append entry to local log" (Figure 2), stamped with the
   * current term and the next indexes. The leader's own copy counts toward the majority.
   */
  void appendEntries(List<Entry> proposed) {
    long last = r.log.lastIndex();
    List<Entry> stamped = new ArrayList<>(proposed.size());
    for (int i = 0; i < proposed.size(); i++) {
      Entry e = proposed.get(i);
      stamped.add(new Entry(r.term, last + 1 + i, e.type(), e.data()));
    }
    r.log.append(stamped);
    r.trk.progress.get(r.id).maybeUpdate(r.log.lastIndex());
    if (maybeAdvanceCommit()) onCommitAdvanced(); // a single-voter cluster commits at once
    r.broadcastPending = true;
  }

  /**
   * "If there exists an N such that N > commitIndex, a majority of matchIndex[i] ≥ N, and
   * log[N].term == currentTerm: set commitIndex = N (§5.3, §5.4)". The term condition is the
   * Figure 8 rule: an entry of an earlier term stored on a majority can still be overwritten by a
   * leader that never had it, so it is committed only indirectly, by a current-term entry after it.
   *
   * @return whether the commit index moved
   */
  boolean maybeAdvanceCommit() {
    long n = r.trk.committedIndex();
    if (n <= r.log.committed) return false;
    if (r.bug != InjectedBug.COMMIT_BY_COUNTING_ANY_TERM && r.log.termOrZero(n) != r.term) return false;
    r.log.commitTo(n);
    return true;
  }

  /** After the commit index moved: tell followers (batched), and release waiting read requests. */
  void onCommitAdvanced() {
    r.broadcastPending = true;
    if (!r.pendingReadIndex.isEmpty() && committedEntryInCurrentTerm()) {
      List<Message> waiting = new ArrayList<>(r.pendingReadIndex);
      r.pendingReadIndex.clear();
      for (Message m : waiting) handleReadIndex(m);
    }
  }

  private boolean committedEntryInCurrentTerm() {
    return r.log.termOrZero(r.log.committed) == r.term;
  }

  // ---------------------------------------------------------------- replication (§5.3)

  /**
   * Sends new entries (or, if none, the commit index) to every follower that is not paused; to a
   * follower in REPLICATE, as many messages as its flow-control window allows.
   */
  void bcastAppend() {
    for (long id : r.trk.progress.keySet()) {
      if (id == r.id || !sendAppend(id, true)) continue;
      while (sendAppend(id, false)) {
        // fill the window
      }
    }
  }

  /**
   * Sends one AppendEntries to {@code to} with the entries from its nextIndex, preceded by
   * (prevLogIndex, prevLogTerm) for the consistency check. If those entries were compacted away,
   * sends InstallSnapshot instead (§7).
   *
   * @param sendIfEmpty send even without entries (to carry the commit index, or to probe)
   * @return whether a message was sent
   */
  boolean sendAppend(long to, boolean sendIfEmpty) {
    Progress pr = r.trk.progress.get(to);
    if (pr == null || pr.isPaused()) return false;
    long prevIndex = pr.next - 1;
    long prevTerm;
    List<Entry> ents;
    try {
      prevTerm = r.log.term(prevIndex);
      ents = r.log.entries(pr.next, r.maxSizePerMsg);
    } catch (Storage.CompactedException e) {
      return sendSnapshot(to, pr);
    }
    if (ents.isEmpty() && !sendIfEmpty) return false;
    r.send(r.out(APP, to).index(prevIndex).logTerm(prevTerm).entries(ents).commit(r.log.committed).build());
    pr.sentEntries(ents.size(), ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index());
    return true;
  }

  private boolean sendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) {
      r.event("%d ignored sending a snapshot to %d: it is not recently active", r.id, to);
      return false;
    }
    Snapshot s;
    try {
      s = r.log.snapshot();
    } catch (Storage.SnapshotUnavailableException e) {
      r.event("%d failed to send a snapshot to %d: temporarily unavailable", r.id, to);
      return false;
    }
    if (s.isEmpty()) throw new IllegalStateException("raft: entries are compacted but there is no snapshot");
    r.event("%d [firstindex: %d, commit: %d] sent snapshot [index: %d, term: %d] to %d [%s]",
        r.id, r.log.firstIndex(), r.log.committed, s.index(), s.term(), to, pr);
    pr.becomeSnapshot(s.index());
    r.send(r.out(SNAP, to).snapshot(s).build());
    return true;
  }

  private void handleAppendResponse(Message m, Progress pr) {
    pr.recentActive = true;
    if (m.reject()) {
      // "If AppendEntries fails because of log inconsistency: decrement nextIndex and retry
      // (§5.3)". The follower's hint (index, term) lets us skip every entry of a conflicting term:
      // our last index at or below the hint whose term is <= the hint's term.
      long nextProbe = m.rejectHint();
      if (m.logTerm() > 0) nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.logTerm());
      if (pr.maybeDecrTo(m.index(), nextProbe)) {
        if (pr.state == Progress.State.REPLICATE) pr.becomeProbe();
        r.event("%d received APP_RESP rejection (hint: index %d, term %d) from %d for index %d; decreased progress of %d to [%s]",
            r.id, m.rejectHint(), m.logTerm(), m.from(), m.index(), m.from(), pr);
        sendAppend(m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    // "If successful: update nextIndex and matchIndex for follower (§5.3)"
    if (!pr.maybeUpdate(m.index())) return; // a stale or duplicate acknowledgement
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate(); // it matches: stream from now on
      case SNAPSHOT -> {
        if (pr.match >= pr.pendingSnapshot) pr.becomeProbe(); // the snapshot arrived
      }
      case REPLICATE -> pr.inflights.freeLE(m.index());
    }
    if (maybeAdvanceCommit()) onCommitAdvanced();
    // Send what the follower still lacks, as far as the flow-control window allows.
    if (wasPaused || pr.state == Progress.State.REPLICATE) {
      while (sendAppend(m.from(), false)) {
        // keep filling the window
      }
    }
    // Leadership transfer: once the transferee has everything, tell it to campaign now (§3.10).
    if (m.from() == r.leadTransferee && pr.match == r.log.lastIndex()) {
      r.event("%d sent TIMEOUT_NOW to %d after it caught up with the log", r.id, m.from());
      r.send(r.out(TIMEOUT_NOW, m.from()).build());
    }
  }

  // ---------------------------------------------------------------- heartbeats and CheckQuorum

  /** "Upon election: send initial empty AppendEntries RPCs (heartbeat) to each server; repeat during idle periods" (§5.2). */
  private void bcastHeartbeat() {
    bcastHeartbeatWithContext(r.readOnly.lastPendingContext());
  }

  private void bcastHeartbeatWithContext(byte[] ctx) {
    for (long id : r.trk.progress.keySet()) {
      if (id == r.id) continue;
      // Never tell a follower a commit index beyond what it is known to hold.
      long commit = Math.min(r.trk.progress.get(id).match, r.log.committed);
      r.send(r.out(HEARTBEAT, id).commit(commit).context(ctx).build());
    }
  }

  private void handleHeartbeatResponse(Message m, Progress pr) {
    pr.recentActive = true;
    pr.probeSent = false; // it is alive: probing may resume
    if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) pr.inflights.freeFirstOne();
    if (pr.match < r.log.lastIndex()) sendAppend(m.from(), true);
    if (m.context().length == 0) return;
    // A ReadIndex heartbeat round: once a quorum answered, the leader was still the leader when
    // the read arrived, and its commit index then is a safe read point (§6.4 step 3).
    if (r.readOnly.recvAck(m.from(), m.context(), r.trk.voters) < r.trk.quorum()) return;
    for (ReadOnly.ReadIndexStatus rs : r.readOnly.advance(m.context())) respondReadIndex(rs.from, rs.index, rs.ctx);
  }

  /** CheckQuorum (dissertation §6.2): a leader that heard from no quorum for an election timeout steps down. */
  private void checkQuorum() {
    if (!r.trk.quorumActive(r.id)) {
      r.event("%d stepped down to follower since quorum is not active", r.id);
      r.becomeFollower(r.term, RaftCore.NONE);
      return;
    }
    for (var e : r.trk.progress.entrySet()) {
      if (e.getKey() != r.id) e.getValue().recentActive = false;
    }
  }

  private void handleSnapStatus(Message m, Progress pr) {
    if (pr.state != Progress.State.SNAPSHOT) return;
    if (m.reject()) {
      pr.pendingSnapshot = 0;
      r.event("%d snapshot to %d failed; probing again [%s]", r.id, m.from(), pr);
    } else {
      r.event("%d snapshot to %d succeeded; waiting for its answer [%s]", r.id, m.from(), pr);
    }
    pr.becomeProbe();
    // Wait for the follower's answer (or a heartbeat response) before the next probe.
    pr.probeSent = true;
  }

  // ---------------------------------------------------------------- ReadIndex (§6.4)

  private void handleReadIndex(Message m) {
    if (r.trk.voters.size() == 1) {
      respondReadIndex(m.from(), r.log.committed, m.context()); // nobody can depose a single voter
      return;
    }
    // §6.4 step 1: the leader must know the commit index of its term. Until its first entry (the
    // no-op) commits, it does not, so the request waits.
    if (!committedEntryInCurrentTerm()) {
      r.pendingReadIndex.add(m);
      return;
    }
    if (r.bug == InjectedBug.READ_INDEX_WITHOUT_QUORUM) {
      respondReadIndex(m.from(), r.log.committed, m.context());
      return;
    }
    // Step 2: confirm leadership with a heartbeat round that carries the request's context.
    r.readOnly.addRequest(r.log.committed, m.from(), m.context());
    r.readOnly.recvAck(r.id, m.context(), r.trk.voters);
    bcastHeartbeatWithContext(m.context());
  }

  private void respondReadIndex(long from, long index, byte[] ctx) {
    if (from == r.id) {
      r.readStates.add(new ReadState(index, ctx));
    } else {
      r.send(r.out(READ_INDEX_RESP, from).index(index).context(ctx).build());
    }
  }

  // ---------------------------------------------------------------- leadership transfer (§3.10)

  private void handleTransferLeader(Message m) {
    long transferee = m.from();
    Progress pr = r.trk.progress.get(transferee);
    if (pr == null || pr.isLearner) {
      r.event("%d ignored transferring leadership to %d: not a voter", r.id, transferee);
      return;
    }
    if (r.leadTransferee != RaftCore.NONE) {
      if (r.leadTransferee == transferee) {
        r.event("%d [term %d] transfer leadership to %d is in progress, ignores request to same node", r.id, r.term, transferee);
        return;
      }
      r.abortLeaderTransfer();
    }
    if (transferee == r.id) {
      r.event("%d is already leader; ignored transferring leadership to itself", r.id);
      return;
    }
    r.event("%d [term %d] starts to transfer leadership to %d", r.id, r.term, transferee);
    r.electionElapsed = 0; // the transfer must finish within one election timeout
    r.leadTransferee = transferee;
    // Proposals are refused meanwhile, so the transferee can catch up with a log that stands still.
    if (pr.match == r.log.lastIndex()) {
      r.event("%d sends TIMEOUT_NOW to %d immediately as %d already has an up-to-date log", r.id, transferee, transferee);
      r.send(r.out(TIMEOUT_NOW, transferee).build());
    } else {
      sendAppend(transferee, true);
    }
  }
}
