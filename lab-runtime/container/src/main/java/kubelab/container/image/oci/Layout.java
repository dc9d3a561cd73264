package kubelab.container.image.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import kubelab.container.image.Digest;
import kubelab.container.image.ImageException;
import kubelab.container.image.fs.Trees;

/**
 * An OCI image layout on disk (image-spec image-layout.md): {@code oci-layout},
 * {@code index.json} and {@code blobs/sha256/<hex>}, plus KubeLab's {@code tmp/} staging area.
 *
 * <p>Crash safety rests on two rules. Every file appears by an atomic rename of a complete,
 * fsynced temporary file (a blob is written under {@code tmp/}, its digest checked, then renamed
 * to its content address); and {@code index.json}, the only mutable file, is replaced last, by a
 * rename. A crash therefore leaves at worst unreferenced blobs (collected by the next garbage
 * collection) and never a half-written blob or index.
 *
 * <p>Writers serialize on {@link #locked}: a lock per layout inside this JVM plus an exclusive
 * {@code flock} on {@code lock} between processes (the CLI and a running cluster may share a
 * root). Readers need no lock: they see the old or the new index, never a mix. Blob reads and
 * writes are safe from any thread.
 */
public final class Layout {
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  public Layout(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path blobsDir() {
    return dir.resolve("blobs").resolve(Digest.ALGORITHM);
  }

  public Path tmpDir() {
    return dir.resolve("tmp");
  }

  /** Creates the layout's skeleton if it is missing (idempotent). */
  public void init() throws IOException {
    Files.createDirectories(blobsDir());
    Files.createDirectories(tmpDir());
    Path layout = dir.resolve(Oci.LAYOUT_FILE);
    if (!Files.exists(layout)) atomicWrite(layout, Oci.bytes(new Oci.LayoutFile(Oci.LAYOUT_VERSION)));
    Path index = dir.resolve("index.json");
    if (!Files.exists(index)) atomicWrite(index, Oci.bytes(Oci.Index.of(List.of())));
  }

  public boolean exists() {
    return Files.isRegularFile(dir.resolve(Oci.LAYOUT_FILE)) && Files.isRegularFile(dir.resolve("index.json"));
  }

  // ---- index ---------------------------------------------------------------------------------

  public Oci.Index readIndex() {
    Path p = dir.resolve("index.json");
    try {
      if (!Files.exists(p)) return Oci.Index.of(List.of());
      return Oci.parse(Files.readAllBytes(p), Oci.Index.class, p.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces index.json atomically. Call with {@link #locked} held. */
  public void writeIndex(Oci.Index index) throws IOException {
    atomicWrite(dir.resolve("index.json"), Oci.bytes(index));
  }

  // ---- blobs ---------------------------------------------------------------------------------

  public Path blobPath(String digest) {
    return blobsDir().resolve(Digest.hex(digest));
  }

  public boolean hasBlob(String digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  public byte[] readBlob(String digest) {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ImageException("the image store is missing blob " + digest + ": remove the image and import or build it again");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Verifies a small blob (manifest, config) against its digest: the store trusts nothing unchecked. */
  public byte[] readVerified(String digest) {
    byte[] b = readBlob(digest);
    String actual = Digest.of(b);
    if (!actual.equals(digest)) {
      throw new ImageException("blob " + digest + " in " + dir + " is corrupt (its content hashes to " + actual + ")");
    }
    return b;
  }

  public InputStream openBlob(String digest) throws IOException {
    return Files.newInputStream(blobPath(digest));
  }

  /** Stores bytes as a blob and returns its descriptor (idempotent for existing content). */
  public Oci.Descriptor writeBlob(String mediaType, byte[] data) throws IOException {
    String digest = Digest.of(data);
    Path target = blobPath(digest);
    if (!Files.exists(target)) atomicWrite(target, data);
    return new Oci.Descriptor(mediaType, digest, data.length);
  }

  /**
   * Streams {@code in} into a blob. If {@code expectedDigest} is not null the content must match it
   * (an import verifies every blob); otherwise the content's own digest names it.
   */
  public Oci.Descriptor writeBlob(String mediaType, InputStream in, String expectedDigest) throws IOException {
    Path tmp = newTempFile("blob-", ".part");
    try {
      String digest;
      long size;
      try (OutputStream os = Files.newOutputStream(tmp); Digest.Out d = new Digest.Out(os)) {
        in.transferTo(d);
        d.flush();
        digest = d.digest();
        size = d.count();
      }
      if (expectedDigest != null && !expectedDigest.equals(digest)) {
        throw new ImageException("digest mismatch: the content named " + expectedDigest + " hashes to " + digest
            + " (the archive is damaged or was modified): nothing was imported");
      }
      fsync(tmp);
      moveIntoPlace(tmp, blobPath(digest));
      return new Oci.Descriptor(mediaType, digest, size);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Moves a finished temporary file to its content address (a no-op if the content is already there). */
  public void moveIntoPlace(Path tmp, Path target) throws IOException {
    if (Files.exists(target)) return;
    Files.createDirectories(target.getParent());
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // written concurrently with the same content: fine
    }
  }

  // ---- locking and staging -------------------------------------------------------------------

  /** Something done under the layout's write lock. */
  public interface Locked<T> {
    T run() throws IOException;
  }

  /** Runs {@code body} holding the layout's write lock (re-entrant within a thread). */
  public <T> T locked(Locked<T> body) {
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new ReentrantLock());
    jvm.lock();
    try {
      if (jvm.getHoldCount() > 1) return body.run();
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = ch.lock()) {
        cleanDeadTmp(); // nobody else writes now: what a dead writer left is garbage
        return body.run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      jvm.unlock();
    }
  }

  /**
   * A fresh directory under tmp/ for staging work; the caller deletes or renames it. Its name
   * carries this process's pid, so the leftovers of a process that died are recognizable.
   */
  public Path newTempDir(String prefix) throws IOException {
    Files.createDirectories(tmpDir());
    return Files.createTempDirectory(tmpDir(), prefix + ProcessHandle.current().pid() + "-");
  }

  /** A fresh file under tmp/, named like {@link #newTempDir}. */
  public Path newTempFile(String prefix, String suffix) throws IOException {
    Files.createDirectories(tmpDir());
    return Files.createTempFile(tmpDir(), prefix + ProcessHandle.current().pid() + "-", suffix);
  }

  private static final java.util.regex.Pattern STAGED = java.util.regex.Pattern.compile("[a-z]+-(\\d+)-.*");

  /**
   * Removes staging leftovers of processes that died mid-write (a crash or SIGKILL during an
   * import): every tmp entry whose pid is not alive. Entries of live processes stay.
   */
  public void cleanDeadTmp() {
    try (var s = Files.list(tmpDir())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        java.util.regex.Matcher m = STAGED.matcher(p.getFileName().toString());
        if (!m.matches()) continue;
        long pid = Long.parseLong(m.group(1));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        Trees.deleteQuietly(p);
      }
    } catch (IOException | NumberFormatException ignored) {
      // nothing to clean
    }
  }

  /** Writes a file atomically: temp file in the same directory, fsync, rename. */
  public static void atomicWrite(Path target, byte[] data) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
        + "-" + Thread.currentThread().getId());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(data));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
