package kubelab.store.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import kubelab.raft.Snapshot;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.codec.RaftCodec;

/**
 * Snapshot files of one member ({@code <term>-<index>.snap} in hex, etcd's naming): the state
 * machine at a log index, so the log before it can be released.
 *
 * <p>A file is {@code u32 length, u32 CRC-32C, payload}, written to a temporary name, fsynced and
 * renamed, so a crash leaves either the whole file or none. Loading takes the newest file that is
 * intact; one that fails its checksum is renamed {@code .broken} (kept for inspection, as etcd
 * does) and an older one is tried, and the caller is told.
 */
public final class SnapshotFiles {
  private final Path dir;
  private final List<String> warnings = new ArrayList<>();

  public SnapshotFiles(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Warnings about broken files met while loading. */
  public List<String> warnings() {
    return warnings;
  }

  /** Bytes written between two flushes of a snapshot file. */
  private static final int FLUSH_CHUNK = 4 << 20;

  public void save(Snapshot s) throws IOException {
    ByteWriter w = new ByteWriter(s.data().length + 128);
    w.i32(0).i32(0);
    RaftCodec.writeSnapshot(w, s);
    int len = w.position() - 8;
    CRC32C crc = new CRC32C();
    crc.update(w.array(), 8, len);
    w.putI32At(0, len);
    w.putI32At(4, (int) crc.getValue());
    String name = String.format("%016x-%016x.snap", s.term(), s.index());
    Path tmp = dir.resolve(name + ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      // In chunks, each flushed before the next: one fsync of a large file at the end would make
      // the WAL's own fsyncs wait behind all of it (ext4's ordered mode commits the file's data
      // with the journal), stalling every write of the member while a snapshot is saved.
      int end = w.position();
      for (int off = 0; off < end; off += FLUSH_CHUNK) {
        ByteBuffer bb = ByteBuffer.wrap(w.array(), off, Math.min(FLUSH_CHUNK, end - off));
        while (bb.hasRemaining()) c.write(bb);
        c.force(false);
      }
      c.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    Wal.syncDir(dir);
  }

  private List<Path> files() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.snap")) {
      for (Path p : ds) {
        if (p.getFileName().toString().matches("[0-9a-f]{16}-[0-9a-f]{16}\\.snap")) out.add(p);
      }
    }
    // Sort by index (the second field), newest last.
    out.sort((a, b) -> Long.compareUnsigned(indexOf(a), indexOf(b)));
    return out;
  }

  private static long indexOf(Path p) {
    return Long.parseUnsignedLong(p.getFileName().toString().substring(17, 33), 16);
  }

  /** The newest intact snapshot, or {@link Snapshot#EMPTY} if there is none. */
  public Snapshot loadNewest() throws IOException {
    List<Path> fs = files();
    for (int i = fs.size() - 1; i >= 0; i--) {
      Path p = fs.get(i);
      try {
        return read(p);
      } catch (CorruptDataException e) {
        Path broken = p.resolveSibling(p.getFileName() + ".broken");
        Files.move(p, broken, StandardCopyOption.REPLACE_EXISTING);
        warnings.add("snapshot " + p + " is corrupt (" + e.getMessage() + "): renamed to " + broken.getFileName() + ", trying an older one");
      }
    }
    return Snapshot.EMPTY;
  }

  static Snapshot read(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    if (b.length < 8) throw new CorruptDataException("file too short");
    int len = WalFormat.getI32(b, 0);
    if (len < 0 || len != b.length - 8) throw new CorruptDataException("length " + len + " does not match file size " + b.length);
    CRC32C crc = new CRC32C();
    crc.update(b, 8, len);
    if ((int) crc.getValue() != WalFormat.getI32(b, 4)) throw new CorruptDataException("checksum mismatch");
    ByteReader r = new ByteReader(b, 8, len);
    Snapshot s = RaftCodec.readSnapshot(r);
    r.expectEnd();
    return s;
  }

  /** Deletes all but the newest {@code keep} snapshot files. */
  public void purge(int keep) throws IOException {
    List<Path> fs = files();
    for (int i = 0; i < fs.size() - keep; i++) Files.deleteIfExists(fs.get(i));
  }
}
