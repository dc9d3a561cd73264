package kubelab.store.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.RaftCodec;

/**
 * The write-ahead log of one member: every entry and hard state is here, on disk, before any
 * message that depends on it leaves (the first step of the driver loop).
 *
 * <p>Segments are preallocated (zero-filled ahead of time by a background thread, as etcd's
 * file pipeline does), so an append overwrites blocks that already exist and an fdatasync does
 * not also have to commit a file-size change: on this kind of disk that halves its latency. A
 * segment that grows past the segment size is closed and the next one begins with the metadata
 * and the current hard state, so any suffix of segments is readable on its own.
 *
 * <p>Group commit: {@link #save} writes everything it is given with one write and at most one
 * fsync; the member hands it all entries and the hard state of one Ready, which under load holds
 * the proposals of many clients.
 *
 * <p>Thread-safety: one writer thread; {@link #releaseTo} may be called from another (it takes
 * the same lock).
 */
public final class Wal implements Closeable {
  /** What {@link #open} recovered. {@code warning} is non-null if a torn tail was dropped. */
  public record Opened(Wal wal, byte[] metadata, HardState state, List<Entry> entries, long snapshotIndex,
                       long snapshotTerm, String warning) {}

  private final Path dir;
  private final long segmentBytes;
  private final byte[] metadata;
  private final ByteWriter buf = new ByteWriter(1 << 16);
  private FileChannel ch;
  private long pos;
  private long seq;
  private long lastIndex;
  private HardState state = HardState.EMPTY;
  private CompletableFuture<Path> next;
  private long syncs;
  private long syncNanos;
  private long bytesWritten;
  /** Written since the last fsync. */
  private boolean dirty;

  private Wal(Path dir, long segmentBytes, byte[] metadata) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.metadata = metadata.clone();
  }

  /** Whether {@code dir} holds a WAL. */
  public static boolean exists(Path dir) throws IOException {
    return !segments(dir).isEmpty();
  }

  /** Starts a new WAL in {@code dir} (created if needed; it must hold no segment). */
  public static Wal create(Path dir, byte[] metadata, long segmentBytes) throws IOException {
    Files.createDirectories(dir);
    if (exists(dir)) throw new IOException("a WAL already exists in " + dir);
    Wal w = new Wal(dir, segmentBytes, metadata);
    w.startSegment(0, 1);
    return w;
  }

  /** Recovers the WAL in {@code dir} and opens it for appending after its last good record. */
  public static Opened open(Path dir, long segmentBytes) throws IOException {
    List<WalReader.Segment> segs = segments(dir);
    if (segs.isEmpty()) throw new IOException("no WAL in " + dir);
    WalReader.Result r = WalReader.read(segs);
    Wal w = new Wal(dir, segmentBytes, r.metadata());
    w.state = r.state();
    w.lastIndex = r.entries().isEmpty() ? r.last().firstIndex() - 1 : r.entries().get(r.entries().size() - 1).index();
    w.seq = r.last().seq();
    w.ch = FileChannel.open(r.last().path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    w.pos = r.lastEnd();
    if (r.warning() != null) {
      // Zero the torn tail, so the next recovery does not mistake its garbage for a record.
      long size = w.ch.size();
      ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
      for (long p = w.pos; p < size; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - p));
        p += w.ch.write(zeros, p);
      }
      // No fsync here: the next append's fdatasync flushes these pages too, and a crash before
      // that finds the same torn tail again, which recovery handles the same way.
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path p : ds) Files.deleteIfExists(p);
    }
    return new Opened(w, r.metadata(), r.state(), r.entries(), r.snapshotIndex(), r.snapshotTerm(), r.warning());
  }

  static List<WalReader.Segment> segments(Path dir) throws IOException {
    List<WalReader.Segment> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.wal")) {
      for (Path p : ds) {
        long[] sf = WalFormat.parseSegmentName(p.getFileName().toString());
        if (sf != null) out.add(new WalReader.Segment(p, sf[0], sf[1]));
      }
    }
    out.sort(Comparator.comparingLong(WalReader.Segment::seq));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).seq() != out.get(i - 1).seq() + 1) {
        throw new WalCorruptException("WAL segment " + out.get(i).path() + " does not follow " + out.get(i - 1).path()
            + ": a segment is missing");
      }
    }
    return out;
  }

  /**
   * Appends a hard state (null: unchanged) and entries; with {@code sync}, returns only once they
   * are on stable storage (fdatasync).
   */
  public synchronized void save(HardState hs, List<Entry> entries, boolean sync) throws IOException {
    // Prepare the next segment once this one is half full: zero-filling it competes with the fsyncs
    // of the log for the disk, so it is done once, well ahead of the cut, not at start-up.
    if (next == null && pos >= segmentBytes / 2) prepareNext();
    buf.reset();
    for (Entry e : entries) {
      int s = WalFormat.begin(buf, WalFormat.ENTRY);
      RaftCodec.writeEntry(buf, e);
      WalFormat.end(buf, s);
      lastIndex = e.index();
    }
    if (hs != null && !hs.equals(state)) {
      int s = WalFormat.begin(buf, WalFormat.STATE);
      RaftCodec.writeHardState(buf, hs);
      WalFormat.end(buf, s);
      state = hs;
    }
    if (buf.position() > 0) write();
    if (sync) sync();
    if (pos >= segmentBytes) cut();
  }

  private void write() throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf.array(), 0, buf.position());
    while (bb.hasRemaining()) pos += ch.write(bb, pos);
    bytesWritten += buf.position();
    dirty = true;
  }

  /**
   * Records that a snapshot from the leader at {@code index} replaced the log (the snapshot file
   * must already be saved): recovery forgets the entries written before this record. Synced.
   */
  public synchronized void saveSnapshotMarker(long index, long term) throws IOException {
    if (next == null) prepareNext();
    buf.reset();
    int s = WalFormat.begin(buf, WalFormat.SNAPSHOT);
    buf.varLong(index).varLong(term);
    WalFormat.end(buf, s);
    write();
    lastIndex = index;
    sync();
  }

  /** fdatasync of the current segment. */
  public synchronized void sync() throws IOException {
    long t0 = System.nanoTime();
    ch.force(false);
    dirty = false;
    syncNanos += System.nanoTime() - t0;
    syncs++;
  }

  private void cut() throws IOException {
    ch.force(false);
    ch.close();
    startSegment(seq + 1, lastIndex + 1);
  }

  private void startSegment(long newSeq, long firstIndex) throws IOException {
    Path target = dir.resolve(WalFormat.segmentName(newSeq, firstIndex));
    if (next == null) prepareNext();
    Path tmp = next.join();
    next = null;
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDir(dir);
    seq = newSeq;
    ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
    pos = 0;
    buf.reset();
    int s = WalFormat.begin(buf, WalFormat.METADATA);
    buf.bytes(metadata);
    WalFormat.end(buf, s);
    s = WalFormat.begin(buf, WalFormat.STATE);
    RaftCodec.writeHardState(buf, state);
    WalFormat.end(buf, s);
    write();
    ch.force(false);
  }

  /** Zero-fills the next segment in the background. */
  private void prepareNext() {
    Path tmp = dir.resolve(String.format("%016x.tmp", seq + 1));
    long size = segmentBytes;
    next = CompletableFuture.supplyAsync(() -> {
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long p = 0; p < size; ) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), size - p));
          p += c.write(zeros, p);
        }
        c.force(true);
        return tmp;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  static void syncDir(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot fsync a directory; the rename is still ordered by the journal
    }
  }

  /**
   * Deletes segments whose every entry is at or below {@code index} (a snapshot covers them),
   * keeping the one that holds {@code index} itself and {@code keep} older ones.
   */
  public synchronized void releaseTo(long index, int keep) throws IOException {
    List<WalReader.Segment> segs = segments(dir);
    // Segment i holds entries from its firstIndex up to segment i+1's firstIndex - 1.
    int lastCovered = -1;
    for (int i = 0; i + 1 < segs.size(); i++) {
      if (segs.get(i + 1).firstIndex() - 1 <= index) lastCovered = i;
    }
    for (int i = 0; i <= lastCovered - keep; i++) Files.deleteIfExists(segs.get(i).path());
    if (lastCovered - keep >= 0) syncDir(dir);
  }

  public synchronized long lastIndex() {
    return lastIndex;
  }

  public synchronized long syncs() {
    return syncs;
  }

  public synchronized long syncNanos() {
    return syncNanos;
  }

  public synchronized long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public synchronized void close() throws IOException {
    if (ch == null) return;
    try {
      if (dirty) ch.force(false);
    } finally {
      ch.close();
      ch = null;
      if (next != null) {
        Path tmp = next.handle((p, e) -> p).join();
        if (tmp != null) Files.deleteIfExists(tmp);
      }
    }
  }
}
