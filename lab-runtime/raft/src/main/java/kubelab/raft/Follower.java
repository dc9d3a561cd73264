package kubelab.raft;

import static kubelab.raft.MessageType.*;

/**
 * The follower's side of Raft (Figure 2, "Rules for Servers: Followers" and the receiver halves
 * of AppendEntries and InstallSnapshot): accept the leader's entries after the consistency check
 * (§5.3), learn the commit index from appends and heartbeats, install snapshots (§7), forward
 * proposals and read requests to the leader, and campaign at once on TIMEOUT_NOW (§3.10).
 * Candidates use these handlers too, after stepping down to follower.
 *
 * <p>Runs inside {@link RaftCore}'s methods, on the same single driver.
 */
final class Follower {
  private final RaftCore r;

  Follower(RaftCore r) {
    this.r = r;
  }

  void step(Message m) {
    switch (m.type()) {
      case PROP -> {
        if (r.lead == RaftCore.NONE) r.dropProposal(m, "no leader at term " + r.term);
        else r.send(m.toBuilder().to(r.lead).build()); // forward to the leader
      }
      case APP -> { r.electionElapsed = 0; r.lead = m.from(); handleAppendEntries(m); }
      case HEARTBEAT -> { r.electionElapsed = 0; r.lead = m.from(); handleHeartbeat(m); }
      case SNAP -> { r.electionElapsed = 0; r.lead = m.from(); handleSnapshot(m); }
      case TRANSFER_LEADER -> {
        if (r.lead == RaftCore.NONE) r.event("%d no leader at term %d; dropping leader transfer", r.id, r.term);
        else r.send(m.toBuilder().to(r.lead).build());
      }
      case TIMEOUT_NOW -> {
        // The leader asks us to campaign now, skipping PreVote: leadership transfer (§3.10).
        r.event("%d [term %d] received TIMEOUT_NOW from %d and starts an election to get leadership", r.id, r.term, m.from());
        r.hup(true);
      }
      case READ_INDEX -> {
        if (r.lead == RaftCore.NONE) r.event("%d no leader at term %d; dropping read index request", r.id, r.term);
        else r.send(m.toBuilder().to(r.lead).build());
      }
      case READ_INDEX_RESP -> r.readStates.add(new ReadState(m.index(), m.context()));
      default -> {}
    }
  }

  /**
   * The AppendEntries receiver (Figure 2). Rule 1 ("reply false if term < currentTerm") was
   * applied in {@link #step}. Rule 2: "reply false if log doesn't contain an entry at prevLogIndex
   * whose term matches prevLogTerm (§5.3)", with a hint for fast back-off. Rules 3–5 are in
   * {@link RaftLog#maybeAppend}.
   */
  void handleAppendEntries(Message m) {
    if (m.index() < r.log.committed) {
      // Everything up to our commit index is settled (a delayed duplicate): say where we are.
      r.send(r.out(APP_RESP, m.from()).index(r.log.committed).build());
      return;
    }
    long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      r.send(r.out(APP_RESP, m.from()).index(lastNew).build());
      return;
    }
    // The consistency check failed. Hint: our last index at or below prevLogIndex whose term is
    // <= prevLogTerm. Every entry after it certainly differs from the leader's, so the leader
    // can jump there instead of retrying one index per round trip (§5.3, "the follower can include
    // the term of the conflicting entry and the first index it stores for that term").
    long hintIndex = r.log.findConflictByTerm(Math.min(m.index(), r.log.lastIndex()), m.logTerm());
    long hintTerm = r.log.termOrZero(hintIndex);
    r.event("%d [logterm: %d, index: %d] rejected APP [logterm: %d, index: %d] from %d",
        r.id, r.log.termOrZero(m.index()), m.index(), m.logTerm(), m.index(), m.from());
    r.send(r.out(APP_RESP, m.from()).index(m.index()).reject(true).rejectHint(hintIndex).logTerm(hintTerm).build());
  }

  /** A heartbeat carries the commit index: "followers learn the commit index on the next heartbeat". */
  void handleHeartbeat(Message m) {
    r.log.commitTo(m.commit());
    r.send(r.out(HEARTBEAT_RESP, m.from()).context(m.context()).build());
  }

  /** The InstallSnapshot receiver (§7). */
  void handleSnapshot(Message m) {
    Snapshot s = m.snapshot();
    if (restore(s)) {
      r.event("%d [commit: %d] restored snapshot [index: %d, term: %d]", r.id, r.log.committed, s.index(), s.term());
      r.send(r.out(APP_RESP, m.from()).index(r.log.lastIndex()).build());
    } else {
      r.event("%d [commit: %d] ignored snapshot [index: %d, term: %d]", r.id, r.log.committed, s.index(), s.term());
      r.send(r.out(APP_RESP, m.from()).index(r.log.committed).build());
    }
  }

  /** Replaces the log and membership with a snapshot, unless we already have what it holds. */
  boolean restore(Snapshot s) {
    if (s.index() <= r.log.committed) return false;
    if (!s.confState().voters().contains(r.id) && !s.confState().learners().contains(r.id)) {
      r.event("%d attempted to restore snapshot but it is not in the configuration %s", r.id, s.confState());
      return false;
    }
    // "If existing log entry has same index and term as snapshot's last included entry, retain log
    // entries following it and reply" (§7, InstallSnapshot receiver rule 6).
    if (r.log.matchTerm(s.index(), s.term())) {
      r.event("%d [commit: %d] fast-forwarded commit to snapshot [index: %d, term: %d]", r.id, r.log.committed, s.index(), s.term());
      r.log.commitTo(s.index());
      return false;
    }
    // Rule 7: "Discard the entire log"; rule 8: "reset state machine using snapshot contents".
    r.log.restore(s);
    r.trk.reset(s.confState(), r.log.lastIndex() + 1);
    Progress self = r.trk.progress.get(r.id);
    if (self != null) self.match = r.log.lastIndex();
    return true;
  }
}
