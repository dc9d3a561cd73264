package kubelab.store.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A member's data directory ({@code lab store serve --data DIR}): {@code DIR/member/} holds the
 * identity file {@code meta}, the {@code wal/} and {@code snap/} directories and a lock.
 *
 * <p>Opening it checks, each with a one-line error that says what to do: that no other process
 * uses it (a file lock), that it belongs to this member of this cluster (the meta file records
 * the cluster id, which is derived from the peer list, and the member name), and that a directory
 * without a meta file is empty (never write over someone's files).
 */
public final class DataDir implements AutoCloseable {
  private final Path root;
  private final Path member;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDir(Path root, Path member, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.member = member;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens (or initializes) {@code root} for member {@code name} of the cluster of {@code peers}. */
  public static DataDir open(Path root, String name, Peers peers) throws IOException {
    Path member = root.resolve("member");
    Path meta = member.resolve("meta");
    if (Files.exists(root) && !Files.isDirectory(root)) throw new IOException("data dir " + root + " is a file, not a directory");
    if (!Files.exists(meta) && Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        if (s.anyMatch(p -> !p.getFileName().toString().equals("member"))) {
          throw new IOException("data dir " + root + " is not empty and is not a store data dir: use an empty or new directory");
        }
      }
    }
    Files.createDirectories(member);
    FileChannel ch = FileChannel.open(member.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IOException("data dir " + root + " is in use by another store member: stop it first, or use another --data");
    }
    DataDir d = new DataDir(root, member, ch, l);
    try {
      if (Files.exists(meta)) {
        Map<String, String> m = read(meta);
        if (!peers.clusterIdHex().equals(m.get("cluster-id"))) {
          throw new IOException("data dir " + root + " belongs to another cluster (id " + m.get("cluster-id") + ", peers "
              + m.get("peers") + "), not to the cluster of --peers " + peers + " (id " + peers.clusterIdHex()
              + "): give the same --peers as when it was created, or use an empty --data");
        }
        if (!name.equals(m.get("name"))) {
          throw new IOException("data dir " + root + " belongs to member " + m.get("name") + ", not " + name
              + ": start " + m.get("name") + " with it, or use another --data for " + name);
        }
      } else {
        String text = "kubelab-store-data v1\ncluster-id=" + peers.clusterIdHex() + "\nname=" + name + "\npeers=" + peers + "\n";
        Path tmp = member.resolve("meta.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          c.force(true);
        }
        Files.move(tmp, meta, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private static Map<String, String> read(Path meta) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }

  public Path root() {
    return root;
  }

  /** Where the WAL and snapshots go. */
  public Path memberDir() {
    return member;
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
