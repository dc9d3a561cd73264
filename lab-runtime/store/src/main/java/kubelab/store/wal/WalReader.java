package kubelab.store.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.codec.RaftCodec;

/**
 * Recovery: reads every segment in order and rebuilds what the member persisted.
 *
 * <p>The rule for damage, in the order it is checked at the first record that is not valid (bad
 * length, unknown type or CRC mismatch) at offset X of a segment:
 * <ol>
 *   <li>If any valid record starts anywhere after X (in this or a later segment), records that
 *       were written after the damaged one survive: that is a corrupt middle, not a torn write.
 *       Recovery refuses, naming the file and offset. Dropping X would silently lose data that
 *       may have been acknowledged.
 *   <li>Otherwise X is the torn tail of the last write (a crash during the write, before its
 *       fsync, so nothing in it was acknowledged): recovery reports where it stops, and the
 *       writer zeroes the file from X before appending.
 * </ol>
 * Entries are replayed with Raft's overwrite rule: an entry at index i replaces the entries at i
 * and after it (a follower's conflicting tail, truncated by a new leader, §5.3).
 */
final class WalReader {
  private WalReader() {}

  record Segment(Path path, long seq, long firstIndex) {}

  /** {@code snapshotIndex}/{@code snapshotTerm}: the last SNAPSHOT record (0 if none); entries follow it. */
  record Result(byte[] metadata, HardState state, List<Entry> entries, long snapshotIndex, long snapshotTerm,
                Segment last, long lastEnd, String warning) {}

  static Result read(List<Segment> segments) throws IOException {
    byte[] metadata = null;
    HardState state = HardState.EMPTY;
    ArrayList<Entry> entries = new ArrayList<>();
    String warning = null;
    long lastEnd = 0;
    long snapIndex = 0, snapTerm = 0;
    for (int s = 0; s < segments.size(); s++) {
      Segment seg = segments.get(s);
      byte[] b = Files.readAllBytes(seg.path());
      int off = 0;
      while (true) {
        int len = WalFormat.validAt(b, off, b.length);
        if (len == 0) break; // clean end of data
        if (len < 0) {
          String where = seg.path().getFileName() + " at offset " + off;
          if (laterValidRecord(segments, s, b, off)) {
            throw new WalCorruptException("WAL record " + where + " (" + seg.path() + ") is corrupt and is followed by valid"
                + " records: refusing to start rather than lose them; restore the data directory from a backup, or"
                + " remove this member from the cluster and add it back with an empty data directory");
          }
          warning = "WAL torn at " + where + ": the last write did not complete (a crash before its fsync); dropped "
              + (b.length - off) + " bytes after the last good record";
          break;
        }
        int type = b[off + WalFormat.HEADER] & 0xFF;
        ByteReader r = new ByteReader(b, off + WalFormat.HEADER + 1, len - 1);
        try {
          switch (type) {
            case WalFormat.METADATA -> {
              byte[] m = r.bytes();
              if (metadata != null && !Arrays.equals(metadata, m)) {
                throw new WalCorruptException("WAL segment " + seg.path() + " belongs to another member (metadata differs)");
              }
              metadata = m;
            }
            case WalFormat.STATE -> state = RaftCodec.readHardState(r);
            case WalFormat.ENTRY -> add(entries, RaftCodec.readEntry(r), seg, off);
            case WalFormat.SNAPSHOT -> {
              snapIndex = r.varLong();
              snapTerm = r.varLong();
              entries.clear(); // the leader's snapshot replaced the whole log (as MemoryStorage.applySnapshot does)
            }
            default -> throw new IllegalStateException();
          }
          r.expectEnd();
        } catch (CorruptDataException e) {
          // The CRC matched but the payload does not decode: written by a bug, not by a crash.
          throw new WalCorruptException("WAL record " + seg.path().getFileName() + " at offset " + off + " (" + seg.path()
              + ") has a valid checksum but does not decode: " + e.getMessage());
        }
        off += WalFormat.HEADER + len;
      }
      lastEnd = off;
      if (warning != null && s != segments.size() - 1) {
        throw new WalCorruptException("WAL segment " + seg.path() + " is torn at offset " + off
            + " but later segments exist: refusing to start; restore the data directory from a backup");
      }
    }
    if (!segments.isEmpty() && metadata == null) {
      throw new WalCorruptException("WAL in " + segments.get(0).path().getParent() + " has no metadata record");
    }
    return new Result(metadata, state, entries, snapIndex, snapTerm, segments.isEmpty() ? null : segments.get(segments.size() - 1), lastEnd, warning);
  }

  private static void add(ArrayList<Entry> entries, Entry e, Segment seg, int off) throws WalCorruptException {
    if (!entries.isEmpty()) {
      long first = entries.get(0).index();
      long last = entries.get(entries.size() - 1).index();
      if (e.index() > last + 1) {
        throw new WalCorruptException("WAL entry " + e.index() + " in " + seg.path() + " at offset " + off
            + " leaves a gap after entry " + last);
      }
      if (e.index() <= last) {
        if (e.index() <= first) entries.clear();
        else entries.subList((int) (e.index() - first), entries.size()).clear();
      }
    }
    entries.add(e);
  }

  /** Whether a valid record starts anywhere after {@code off} in segment {@code s} or in any later segment. */
  private static boolean laterValidRecord(List<Segment> segments, int s, byte[] b, int off) throws IOException {
    for (int p = off + 1; p + WalFormat.HEADER < b.length; p++) {
      if (WalFormat.validAt(b, p, b.length) > 0) return true;
    }
    for (int t = s + 1; t < segments.size(); t++) {
      byte[] nb = Files.readAllBytes(segments.get(t).path());
      if (WalFormat.validAt(nb, 0, nb.length) > 0) return true;
      for (int p = 1; p + WalFormat.HEADER < nb.length; p++) {
        if (WalFormat.validAt(nb, p, nb.length) > 0) return true;
      }
    }
    return false;
  }
}
