package kubelab.raft;

/**
 * What a leader knows about one follower (Figure 2, "volatile state on leaders": nextIndex and
 * matchIndex), plus the replication state machine etcd uses for flow control:
 *
 * <ul>
 *   <li>PROBE: the leader does not know where the follower's log matches. It sends one
 *       AppendEntries at a time and waits for the answer (or a heartbeat round) before the next;
 *       each rejection moves {@code next} back (§5.3, with the fast back-off hint).
 *   <li>REPLICATE: the follower matched; the leader streams entries optimistically, advancing
 *       {@code next} as it sends, up to the {@link Inflights} window.
 *   <li>SNAPSHOT: the entries the follower needs are compacted; the leader sent InstallSnapshot
 *       (§7) and sends nothing else until it is acknowledged or reported failed.
 * </ul>
 */
final class Progress {
  enum State { PROBE, REPLICATE, SNAPSHOT }

  /** Highest index known to be replicated on the follower (matchIndex). */
  long match;
  /** Index of the next entry to send (nextIndex). */
  long next;
  State state = State.PROBE;
  /** While in SNAPSHOT: the index of the snapshot sent. */
  long pendingSnapshot;
  /** Heard from the follower since the last CheckQuorum round. */
  boolean recentActive;
  /** In PROBE: a message was sent and we wait for its answer before the next one. */
  boolean probeSent;
  final Inflights inflights;
  boolean isLearner;

  Progress(long next, int maxInflight, boolean isLearner) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
    this.isLearner = isLearner;
  }

  private void reset(State s) {
    probeSent = false;
    pendingSnapshot = 0;
    state = s;
    inflights.reset();
  }

  void becomeProbe() {
    // After a snapshot, the follower's log continues from the snapshot at least.
    if (state == State.SNAPSHOT) {
      long pending = pendingSnapshot;
      reset(State.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      reset(State.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    reset(State.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    reset(State.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /**
   * An acknowledgement that the follower holds everything up to {@code n}: on success, "update
   * nextIndex and matchIndex for follower (§5.3)". Returns false for a stale acknowledgement.
   */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * A rejection of the AppendEntries whose prevLogIndex was {@code rejected}: "decrement nextIndex
   * and retry (§5.3)", jumping to {@code hint + 1} (the follower's suggestion) when it is lower.
   * Returns false if the rejection is stale (answers a message older than our current guess).
   */
  boolean maybeDecrTo(long rejected, long hint) {
    if (state == State.REPLICATE) {
      // In REPLICATE, a rejection of something at or below match is stale.
      if (rejected <= match) return false;
      next = match + 1;
      return true;
    }
    // In PROBE, only the answer to the last probe (prevLogIndex == next - 1) counts.
    if (next - 1 != rejected) return false;
    next = Math.max(Math.min(rejected, hint + 1), match + 1);
    if (next < 1) next = 1;
    probeSent = false;
    return true;
  }

  /** Whether the leader must hold back AppendEntries to this follower for now. */
  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  /** Bookkeeping after sending {@code count} entries ending at {@code lastIndex}. */
  void sentEntries(int count, long lastIndex) {
    switch (state) {
      case REPLICATE -> {
        if (count > 0) {
          next = lastIndex + 1; // optimistic: assume it will be accepted
          inflights.add(lastIndex);
        }
      }
      case PROBE -> probeSent = true;
      case SNAPSHOT -> throw new IllegalStateException("raft: sending entries in SNAPSHOT state");
    }
  }

  @Override
  public String toString() {
    return "match=" + match + " next=" + next + " " + state.name().toLowerCase()
        + (state == State.SNAPSHOT ? " pending=" + pendingSnapshot : "")
        + (probeSent ? " paused" : "")
        + (inflights.count() > 0 ? " inflight=" + inflights.count() + (inflights.full() ? "[full]" : "") : "")
        + (isLearner ? " learner" : "");
  }
}
