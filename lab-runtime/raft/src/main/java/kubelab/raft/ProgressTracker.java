package kubelab.raft;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership (voters and learners), the leader's {@link Progress} for each member, and the
 * votes of the current election: everything that needs "a majority" (§5.2: "a candidate wins an
 * election if it receives votes from a majority of the servers in the full cluster"; §5.3: an
 * entry is committed once "replicated on a majority"). Learners receive the log but never count.
 *
 * <p>Sorted maps keep every iteration in id order, so a run is a pure function of its inputs.
 */
final class ProgressTracker {
  enum VoteResult { PENDING, WON, LOST }

  final TreeSet<Long> voters = new TreeSet<>();
  final TreeSet<Long> learners = new TreeSet<>();
  final TreeMap<Long, Progress> progress = new TreeMap<>();
  private final TreeMap<Long, Boolean> votes = new TreeMap<>();
  private final int maxInflight;

  ProgressTracker(int maxInflight) {
    this.maxInflight = maxInflight;
  }

  /** ⌊N/2⌋+1 voters: 2 of 3, 3 of 5. */
  int quorum() {
    return voters.size() / 2 + 1;
  }

  boolean isVoter(long id) {
    return voters.contains(id);
  }

  boolean isLearner(long id) {
    return learners.contains(id);
  }

  ConfState confState() {
    return new ConfState(new ArrayList<>(voters), new ArrayList<>(learners));
  }

  /** Replaces the membership (on start and when restoring a snapshot); progress starts fresh. */
  void reset(ConfState cs, long nextIndex) {
    voters.clear();
    learners.clear();
    progress.clear();
    for (long id : cs.voters()) addVoter(id, nextIndex);
    for (long id : cs.learners()) addLearner(id, nextIndex);
  }

  void addVoter(long id, long nextIndex) {
    learners.remove(id);
    voters.add(id);
    Progress pr = progress.get(id);
    if (pr == null) {
      pr = new Progress(nextIndex, maxInflight, false);
      pr.recentActive = true; // give a new member an election timeout to show up
      progress.put(id, pr);
    }
    pr.isLearner = false;
  }

  void addLearner(long id, long nextIndex) {
    if (voters.contains(id)) return; // no demotion in single-server changes
    learners.add(id);
    Progress pr = new Progress(nextIndex, maxInflight, true);
    pr.recentActive = true;
    progress.putIfAbsent(id, pr);
  }

  void remove(long id) {
    voters.remove(id);
    learners.remove(id);
    progress.remove(id);
    votes.remove(id);
  }

  /**
   * The highest index stored on a quorum of voters: sort the voters' matchIndex values in
   * descending order and take the quorum-th one. (Whether it may be committed also depends on its
   * term: see {@code Leader.maybeAdvanceCommit}.)
   */
  long committedIndex() {
    if (voters.isEmpty()) return 0;
    long[] matches = new long[voters.size()];
    int i = 0;
    for (long id : voters) matches[i++] = progress.get(id).match;
    java.util.Arrays.sort(matches); // ascending
    return matches[matches.length - quorum()];
  }

  /** Records the first answer of {@code id} in this election; later answers are ignored. */
  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  void resetVotes() {
    votes.clear();
  }

  /** Counts the votes of voters: WON with a quorum of grants, LOST once a quorum is impossible. */
  VoteResult tallyVotes() {
    int granted = 0;
    int rejected = 0;
    for (long id : voters) {
      Boolean v = votes.get(id);
      if (v == null) continue;
      if (v) granted++; else rejected++;
    }
    if (granted >= quorum()) return VoteResult.WON;
    if (rejected > voters.size() - quorum()) return VoteResult.LOST;
    return VoteResult.PENDING;
  }

  int grantedVotes() {
    int n = 0;
    for (Map.Entry<Long, Boolean> e : votes.entrySet()) if (e.getValue() && voters.contains(e.getKey())) n++;
    return n;
  }

  int rejectedVotes() {
    int n = 0;
    for (Map.Entry<Long, Boolean> e : votes.entrySet()) if (!e.getValue() && voters.contains(e.getKey())) n++;
    return n;
  }

  /** CheckQuorum: whether a quorum of voters (counting the leader) was heard from recently. */
  boolean quorumActive(long self) {
    int active = 0;
    for (long id : voters) {
      if (id == self || progress.get(id).recentActive) active++;
    }
    return active >= quorum();
  }
}
