package kubelab.container.image.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import kubelab.container.image.Digest;
import kubelab.container.image.fs.NativeFs;
import kubelab.container.image.tar.Compression;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarReader;
import kubelab.container.image.tar.TarWriter;

/**
 * What one COPY or ADD puts into its layer, planned before anything is written so that the build
 * cache can be asked first: the list of members (destination path, type, mode, owner, source) and
 * a checksum of them. The checksum covers names, types, modes, owners, link targets and file
 * contents but not modification times, as Docker's classic builder ("the last-modified and
 * last-accessed times of the files are not considered"): touching a file keeps the cache, editing
 * it does not.
 *
 * <p>{@link #write} then streams the members into a layer tar: parent directories first (with the
 * image's own metadata when they already exist in it, so a COPY never changes the mode of
 * {@code /usr}), members sorted by path. ADD's local archives are extracted under their
 * destination.
 */
final class CopyPlan {
  enum Kind { DIR, FILE, SYMLINK, ARCHIVE }

  /** One planned member; {@code source} is a host path (context or a stage's layer). */
  record Item(String dest, Kind kind, Path source, int mode, long uid, long gid, String link, long mtime) {}

  private final TreeMap<String, Item> items = new TreeMap<>(CopyPlan::comparePaths);
  private final Map<String, Item> parents = new TreeMap<>(CopyPlan::comparePaths);

  void add(Item i) {
    items.put(i.kind() == Kind.ARCHIVE ? i.dest() + "/\0" + i.source() : i.dest(), i);
  }

  /** Destinations of the planned members (not the implied parents). */
  List<String> names() {
    List<String> out = new ArrayList<>();
    for (Item i : items.values()) out.add(i.dest());
    return out;
  }

  void addParent(Item i) {
    if (!items.containsKey(i.dest())) parents.put(i.dest(), i);
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  /** "file:", "dir:" or "multi:" and a hex checksum, as Docker's classic history shows a COPY source. */
  String checksum(String kindHint) throws IOException {
    MessageDigest md = Digest.newSha256();
    for (Item i : all().values()) {
      md.update((i.dest() + "\0" + i.kind() + "\0" + Integer.toOctalString(i.mode()) + "\0" + i.uid() + ":" + i.gid()
          + "\0" + (i.link() == null ? "" : i.link()) + "\0").getBytes(StandardCharsets.UTF_8));
      if (i.kind() == Kind.FILE || i.kind() == Kind.ARCHIVE) md.update(Digest.of(i.source()).getBytes(StandardCharsets.US_ASCII));
      md.update((byte) '\n');
    }
    return kindHint + ":" + HexFormat.of().formatHex(md.digest());
  }

  private Map<String, Item> all() {
    TreeMap<String, Item> m = new TreeMap<>(CopyPlan::comparePaths);
    parents.forEach((k, v) -> {
      if (!items.containsKey(k)) m.put(k, v);
    });
    m.putAll(items);
    return m;
  }

  /** Writes the planned members as a layer tar (without the end marker). */
  void write(TarWriter w) throws IOException {
    for (Item i : all().values()) {
      switch (i.kind()) {
        case DIR -> w.add(new TarEntry(i.dest(), TarEntry.Type.DIR, i.mode(), i.uid(), i.gid(), 0, i.mtime(), null, 0, 0, null));
        case SYMLINK -> w.add(new TarEntry(i.dest(), TarEntry.Type.SYMLINK, 0777, i.uid(), i.gid(), 0, i.mtime(), i.link(), 0, 0, null));
        case FILE -> {
          long size = Files.size(i.source());
          try (InputStream in = Files.newInputStream(i.source(), LinkOption.NOFOLLOW_LINKS)) {
            w.add(new TarEntry(i.dest(), TarEntry.Type.FILE, i.mode(), i.uid(), i.gid(), size, i.mtime(), null, 0, 0, null), in);
          }
        }
        case ARCHIVE -> extract(i, w);
      }
    }
  }

  /** ADD of a local archive: its members re-rooted under the destination directory. */
  private static void extract(Item i, TarWriter w) throws IOException {
    try (InputStream in = Compression.decompressed(new BufferedInputStream(Files.newInputStream(i.source())), i.source().toString())) {
      TarReader r = new TarReader(in);
      for (TarEntry e; (e = r.next()) != null; ) {
        for (String part : e.name().split("/")) {
          if (part.equals("..")) throw new IOException("archive member \"" + e.name() + "\" points outside its destination");
        }
        String name = e.name().isEmpty() ? i.dest() : i.dest().isEmpty() ? e.name() : i.dest() + "/" + e.name();
        if (name.isEmpty()) continue;
        TarEntry out = e.withName(name);
        if (e.type() == TarEntry.Type.HARDLINK) {
          String target = TarReader.clean(e.linkName());
          out = out.withLinkName(i.dest().isEmpty() ? target : i.dest() + "/" + target);
        }
        if (i.uid() >= 0) out = out.withOwner(i.uid(), i.gid());
        w.add(out, r.content());
      }
    }
  }

  /** True if the file looks like a tar archive (plain or gzip), which ADD extracts. */
  static boolean isArchive(Path f) {
    try (InputStream in = Compression.decompressed(new BufferedInputStream(Files.newInputStream(f)), f.toString())) {
      byte[] h = in.readNBytes(512);
      if (h.length < 512) return false;
      return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && new TarReader(
          new java.io.ByteArrayInputStream(h)).next() != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Mode bits of a host file (permission and setuid/setgid/sticky bits). */
  static int modeOf(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  static long mtimeOf(Path p) throws IOException {
    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.SECONDS);
  }

  static boolean isRegular(Path p) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & NativeFs.S_IFMT) == NativeFs.S_IFREG;
  }

  /** Walks a host directory and returns its descendants' relative paths, sorted, filtered. */
  static List<String> walk(Path dir, Predicate<String> include) throws IOException {
    List<String> out = new ArrayList<>();
    walk(dir, "", include, out);
    return out;
  }

  private static void walk(Path dir, String prefix, Predicate<String> include, List<String> out) throws IOException {
    List<Path> children;
    try (var s = Files.list(dir)) {
      children = s.sorted().toList();
    }
    for (Path c : children) {
      String rel = prefix.isEmpty() ? c.getFileName().toString() : prefix + "/" + c.getFileName();
      if (!include.test(rel)) continue;
      out.add(rel);
      if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) walk(c, rel, include, out);
    }
  }

  static int comparePaths(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = java.util.Arrays.compareUnsigned(x[i].getBytes(StandardCharsets.UTF_8), y[i].getBytes(StandardCharsets.UTF_8));
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }
}
