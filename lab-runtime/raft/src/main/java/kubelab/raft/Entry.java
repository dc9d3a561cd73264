package kubelab.raft;

/**
 * One entry of the replicated log (§5.3): the term in which a leader received it, its index, and
 * an opaque command for the state machine. A CONF_CHANGE entry carries an encoded
 * {@link ConfChange}; an EMPTY NORMAL entry is the no-op a new leader appends to commit entries of
 * earlier terms (§8, the Figure 8 rule).
 *
 * <p>{@code data} is never mutated after construction; it may be shared between copies.
 */
public record Entry(long term, long index, Type type, byte[] data) {
  public enum Type { NORMAL, CONF_CHANGE }

  public static final byte[] EMPTY = new byte[0];

  public Entry {
    if (data == null) data = EMPTY;
  }

  public static Entry normal(long term, long index, byte[] data) {
    return new Entry(term, index, Type.NORMAL, data);
  }

  /** Approximate size in bytes, for size-limited batches. */
  public long size() {
    return 24L + data.length;
  }
}
