package kubelab.raft;

/**
 * The state a node must persist before it answers any RPC (Figure 2, "Persistent state on all
 * servers"): currentTerm, votedFor, and (as etcd does) the commit index, so a restart does not
 * re-apply from zero. {@code vote == 0} means "voted for nobody in this term".
 */
public record HardState(long term, long vote, long commit) {
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public boolean isEmpty() {
    return term == 0 && vote == 0 && commit == 0;
  }
}
