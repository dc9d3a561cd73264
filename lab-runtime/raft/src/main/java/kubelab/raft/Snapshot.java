package kubelab.raft;

/**
 * A snapshot of the state machine up to and including {@code index} (§7, log compaction), with the
 * term of that entry and the membership at that point. {@code data} is the state machine's own
 * encoding and opaque to Raft.
 */
public record Snapshot(long index, long term, ConfState confState, byte[] data) {
  public static final Snapshot EMPTY = new Snapshot(0, 0, new ConfState(java.util.List.of(), java.util.List.of()), Entry.EMPTY);

  public Snapshot {
    if (data == null) data = Entry.EMPTY;
  }

  public boolean isEmpty() {
    return index == 0;
  }
}
