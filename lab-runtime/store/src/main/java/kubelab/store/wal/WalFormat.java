package kubelab.store.wal;

import java.util.zip.CRC32C;
import kubelab.store.codec.ByteWriter;

/**
 * The record framing of WAL segments and snapshot files.
 *
 * <pre>
 *   u32 length   of type + payload (big-endian; 0 = end of data: the zeroed, preallocated rest)
 *   u32 crc      CRC-32C of type + payload
 *   u8  type     METADATA | ENTRY | STATE | SNAPSHOT
 *   ... payload
 * </pre>
 *
 * A record is valid only if its length fits in the file, its type is known and its CRC matches:
 * one flipped bit anywhere in it is detected. Segment files are named
 * {@code <seq>-<firstIndex>.wal} in hex (etcd's layout): seq counts segments, firstIndex is the
 * index the next entry had when the segment was cut, so whole segments can be released once a
 * snapshot covers them.
 */
final class WalFormat {
  private WalFormat() {}

  static final int HEADER = 8;
  static final int METADATA = 1;
  static final int ENTRY = 2;
  static final int STATE = 3;
  /** A snapshot from the leader replaced the log: entries before this record are superseded. */
  static final int SNAPSHOT = 4;
  /** Largest record accepted when reading: larger lengths are garbage, not a record. */
  static final int MAX_RECORD = 256 << 20;

  static boolean knownType(int t) {
    return t == METADATA || t == ENTRY || t == STATE || t == SNAPSHOT;
  }

  /** Starts a record in {@code w}; returns its start offset for {@link #end}. */
  static int begin(ByteWriter w, int type) {
    int start = w.position();
    w.i32(0).i32(0).u8(type);
    return start;
  }

  /** Patches length and CRC of the record begun at {@code start}. */
  static void end(ByteWriter w, int start) {
    int len = w.position() - start - HEADER;
    CRC32C crc = new CRC32C();
    crc.update(w.array(), start + HEADER, len);
    w.putI32At(start, len);
    w.putI32At(start + 4, (int) crc.getValue());
  }

  static int getI32(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }

  /**
   * Length of type+payload of a valid record at {@code off} of {@code b[0, limit)}, 0 at a clean
   * end of data (zero length), or -1 if the bytes there are not a valid record.
   */
  static int validAt(byte[] b, int off, int limit) {
    if (off + HEADER > limit) return allZero(b, off, limit) ? 0 : -1;
    int len = getI32(b, off);
    if (len == 0) return getI32(b, off + 4) == 0 ? 0 : -1;
    if (len < 0 || len > MAX_RECORD || off + HEADER + (long) len > limit) return -1;
    if (!knownType(b[off + HEADER] & 0xFF)) return -1;
    CRC32C crc = new CRC32C();
    crc.update(b, off + HEADER, len);
    return (int) crc.getValue() == getI32(b, off + 4) ? len : -1;
  }

  static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] != 0) return false;
    return true;
  }

  static String segmentName(long seq, long firstIndex) {
    return String.format("%016x-%016x.wal", seq, firstIndex);
  }

  /** {seq, firstIndex} of a segment file name, or null if it is not one. */
  static long[] parseSegmentName(String name) {
    if (!name.matches("[0-9a-f]{16}-[0-9a-f]{16}\\.wal")) return null;
    return new long[] {Long.parseUnsignedLong(name.substring(0, 16), 16), Long.parseUnsignedLong(name.substring(17, 33), 16)};
  }
}
