package kubelab.store.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A member's data directory ({@code lab store serve --data DIR}): {@code DIR/member/} holds the
 * identity file {@code meta}, the {@code wal/} and {@code snap/} directories and a lock.
 *
 * <p>The meta file says who this member is, once and for all: its name and id, its cluster's id,
 * the cluster's founders, the {@code --peers} it was first started with, and whether it founded
 * the cluster or joined it. A restart takes its identity from here (and its members from the WAL
 * and snapshots), never from the flags; the flags are only checked against it.
 *
 * <p>Opening it checks, each with a one-line error that says what to do: that no other process
 * uses it (a file lock), and that a directory without a meta file is empty (never write over
 * someone's files). {@link StoreServer} checks the rest (name, cluster).
 */
public final class DataDir implements AutoCloseable {
  /**
   * The identity recorded in {@code meta}.
   *
   * @param peers  the {@code --peers} of the first start (the founders for a founder; the list a
   *               joiner was started with)
   * @param hints  where the members were at join time (id → address); empty for founders
   * @param peersAtIndexZero written before logs began with bootstrap entries (format 1)
   */
  public record Meta(String name, long id, String clusterId, Peers founders, Peers peers, boolean joined,
                     boolean peersAtIndexZero, Map<Long, InetSocketAddress> hints) {}

  private final Path root;
  private final Path member;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private Meta meta;

  private DataDir(Path root, Path member, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.member = member;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens (creating if needed) and locks {@code root}; {@link #meta()} is null for a new one. */
  public static DataDir open(Path root) throws IOException {
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
      if (Files.exists(meta)) d.meta = parse(root, read(meta));
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private static Meta parse(Path root, Map<String, String> m) throws IOException {
    try {
      Peers peers = Peers.parse(m.get("peers"));
      String name = m.get("name");
      if ("1".equals(m.get("format"))) {
        // Format 1: a founder whose log has no bootstrap entries (Raft starts from Config.peers).
        return new Meta(name, peers.byName(name).id(), m.get("cluster-id"), peers, peers, false, true, Map.of());
      }
      Map<Long, InetSocketAddress> hints = new TreeMap<>();
      String h = m.getOrDefault("hints", "");
      for (String part : h.isEmpty() ? new String[0] : h.split(",")) {
        int at = part.indexOf('@');
        hints.put(Long.parseLong(part.substring(0, at)), Peers.parseHostPort(part.substring(at + 1), "hint " + part));
      }
      return new Meta(name, Long.parseLong(m.get("id")), m.get("cluster-id"), Peers.parse(m.get("founders")), peers,
          Boolean.parseBoolean(m.get("joined")), "founders".equals(m.get("log-begins-with")), hints);
    } catch (RuntimeException e) {
      throw new IOException("data dir " + root + " has an unreadable member/meta file (" + e.getMessage() + "): use another --data", e);
    }
  }

  private static Map<String, String> read(Path meta) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(meta, StandardCharsets.UTF_8);
    m.put("format", !lines.isEmpty() && lines.get(0).equals("kubelab-store-data v1") ? "1" : "2");
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return m;
  }

  /** The identity recorded here, or null if this member has never started. */
  public Meta meta() {
    return meta;
  }

  /** Records the identity of a member starting for the first time (atomically: a crash leaves no half file). */
  public void initialize(Meta m) throws IOException {
    if (meta != null) throw new IllegalStateException("data dir " + root + " already has a member");
    StringBuilder hints = new StringBuilder();
    m.hints().forEach((id, a) -> hints.append(hints.length() == 0 ? "" : ",").append(id).append('@').append(a.getHostString())
        .append(':').append(a.getPort()));
    String text = "kubelab-store-data v2\ncluster-id=" + m.clusterId() + "\nname=" + m.name() + "\nid=" + m.id()
        + "\npeers=" + m.peers() + "\nfounders=" + m.founders() + "\njoined=" + m.joined()
        + "\nlog-begins-with=" + (m.peersAtIndexZero() ? "founders" : "bootstrap") + "\nhints=" + hints + "\n";
    Path tmp = member.resolve("meta.tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    Files.move(tmp, member.resolve("meta"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    meta = m;
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
