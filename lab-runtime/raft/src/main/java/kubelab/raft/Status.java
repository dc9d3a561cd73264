package kubelab.raft;

import java.util.Map;

/**
 * A snapshot of one node's Raft state, for {@code lab store status}, the REPL's {@code raft
 * status} and tests. Immutable; {@code progress} is filled only on the leader (what it knows of
 * each member: Figure 2's matchIndex and nextIndex, and the flow-control state).
 */
public record Status(
    long id,
    long term,
    long vote,
    long commit,
    long applied,
    long leader,
    Ready.Role role,
    long lastIndex,
    long lastTerm,
    long leadTransferee,
    ConfState confState,
    Map<Long, PeerProgress> progress) {

  public enum ReplicationState { PROBE, REPLICATE, SNAPSHOT }

  public record PeerProgress(long match, long next, ReplicationState state, boolean learner, boolean recentActive) {}

  public Status {
    progress = Map.copyOf(progress);
  }
}
