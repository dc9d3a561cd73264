package kubelab.store.server;

import java.util.List;
import java.util.Map;

/**
 * One member's view of itself, for {@code lab store status} (etcdctl endpoint status, plus the
 * Raft fields the lessons look at) and the REPL.
 *
 * @param role      FOLLOWER, PRE_CANDIDATE, CANDIDATE or LEADER
 * @param leader    the leader's id as this member knows it (0: none)
 * @param commit    the highest log index this member knows to be committed
 * @param applied   the highest log index applied to its keyspace
 * @param revision  the keyspace revision after {@code applied}
 * @param progress  on the leader: each member's match index (what the leader knows it holds)
 * @param fsyncs    WAL fsyncs so far, and their mean duration
 * @param voters    the ids of the voting members in this member's Raft configuration (a majority
 *                  of them is a quorum)
 */
public record MemberStatus(
    String name,
    long id,
    String clusterId,
    String role,
    long term,
    long leader,
    long commit,
    long applied,
    long lastIndex,
    long revision,
    long compactRevision,
    long keys,
    Map<Long, Long> progress,
    long fsyncs,
    double fsyncMeanMillis,
    List<Long> voters) {
  public MemberStatus {
    voters = List.copyOf(voters);
  }

  /** Votes (or acks) needed for an election or a commit: a majority of the voters. */
  public int quorum() {
    return voters.size() / 2 + 1;
  }
}
