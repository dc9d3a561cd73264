package kubelab.store.server;

import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CorruptDataException;

/**
 * What a member's snapshot holds (the {@code data} of a Raft {@code Snapshot}, in a snapshot file
 * or an InstallSnapshot message): the {@link Membership} and the keyspace at the snapshot's index,
 * as etcd's backend holds both the members bucket and the keys.
 *
 * <p>Layout: u8 format (2), the membership's bytes (length-prefixed), then the keyspace's own
 * encoding ({@code MvccStore.snapshot()}) to the end. A snapshot written before membership
 * changes existed is the keyspace alone; its first byte is the keyspace format (1), so it is
 * read as such, with no membership ({@link #membership()} null: the founders').
 */
public record StoreSnapshot(Membership membership, byte[] keyspace) {
  private static final int FORMAT = 2;
  /** The first byte of a keyspace-only snapshot (MvccSnapshot's format). */
  private static final int KEYSPACE_ONLY = 1;

  public byte[] encode() {
    byte[] ms = membership.encode();
    ByteWriter w = new ByteWriter(8 + ms.length + keyspace.length);
    w.u8(FORMAT).bytes(ms).raw(keyspace, 0, keyspace.length);
    return w.toByteArray();
  }

  public static StoreSnapshot decode(byte[] data) {
    if (data.length == 0) throw new CorruptDataException("empty snapshot");
    int f = data[0] & 0xFF;
    if (f == KEYSPACE_ONLY) return new StoreSnapshot(null, data);
    if (f != FORMAT) throw new CorruptDataException("unknown snapshot format " + f);
    ByteReader r = new ByteReader(data);
    r.u8();
    Membership m = Membership.decode(r.bytes());
    int at = r.position();
    byte[] ks = java.util.Arrays.copyOfRange(data, at, data.length);
    return new StoreSnapshot(m, ks);
  }
}
