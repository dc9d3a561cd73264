package kubelab.raft;

import java.nio.ByteBuffer;

/**
 * A single-server membership change (§6 of the Raft dissertation, "single-server changes"):
 * add or remove one member at a time, so any old and new majority overlap.
 * {@code context} is opaque to Raft (the store puts the member's name and address there).
 *
 * <p>A CONF_CHANGE {@link Entry} carries {@link #encode()}'s bytes; the driver decodes them with
 * {@link #decode(byte[])} when it applies the entry, then calls {@link RawNode#applyConfChange}.
 */
public record ConfChange(Type type, long nodeId, byte[] context) {
  public enum Type { ADD_NODE, REMOVE_NODE, ADD_LEARNER }

  public ConfChange {
    if (context == null) context = Entry.EMPTY;
  }

  /** Encoding: one byte type, eight bytes node id (big-endian), then the context. */
  public byte[] encode() {
    return ByteBuffer.allocate(9 + context.length).put((byte) type.ordinal()).putLong(nodeId).put(context).array();
  }

  public static ConfChange decode(byte[] data) {
    if (data.length < 9 || data[0] < 0 || data[0] >= Type.values().length) {
      throw new IllegalArgumentException("raft: not an encoded ConfChange (" + data.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    Type t = Type.values()[b.get()];
    long id = b.getLong();
    byte[] ctx = new byte[b.remaining()];
    b.get(ctx);
    return new ConfChange(t, id, ctx);
  }
}
