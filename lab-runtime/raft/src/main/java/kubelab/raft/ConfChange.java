package kubelab.raft;

/**
 * A single-server membership change (§6 of the Raft dissertation, "single-server changes"):
 * add or remove one member at a time, so any old and new majority overlap.
 * {@code context} is opaque to Raft (the store puts the member's name and address there).
 */
public record ConfChange(Type type, long nodeId, byte[] context) {
  public enum Type { ADD_NODE, REMOVE_NODE, ADD_LEARNER }

  public ConfChange {
    if (context == null) context = Entry.EMPTY;
  }
}
