package kubelab.raft;

/**
 * A proposal this node could not accept: no leader is known, a leadership transfer is in
 * progress, or a membership change is already pending. Nothing was appended; the caller may retry
 * later (etcd's ErrProposalDropped). The message says why, as one sentence.
 */
public final class ProposalDroppedException extends RuntimeException {
  public ProposalDroppedException(String reason) {
    super("raft proposal dropped: " + reason, null, false, false);
  }
}
