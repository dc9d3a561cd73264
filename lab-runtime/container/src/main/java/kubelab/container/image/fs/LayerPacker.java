package kubelab.container.image.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;

/**
 * Packs a directory tree into a layer tar: the inverse of {@link LayerUnpacker}.
 *
 * <p>In {@link Mode#OVERLAY_UPPER} the tree is an overlayfs upper directory (a container's
 * writable layer) and overlayfs's deletion markers become OCI whiteouts: a 0/0 character device
 * {@code NAME} becomes an empty file {@code .wh.NAME}, and a directory with
 * {@code trusted.overlay.opaque=y} is followed by {@code dir/.wh..wh..opq}. overlayfs's own
 * bookkeeping xattrs ({@code trusted.overlay.*}) are never archived. A directory carrying
 * {@code trusted.overlay.redirect} (a rename with redirect_dir=on) cannot be expressed as an OCI
 * diff from the upper directory alone: packing refuses it rather than produce a wrong layer.
 * overlayfs mounted inside a user namespace ({@code lab run --userns}) keeps the same markers
 * under {@code user.overlay.*}; both are read. A writable layer of such a container belongs to
 * the host ids the namespace maps; {@code hostToImageId} maps them back (100000 becomes 0), so
 * the layer looks as if it was made by the container's root.
 * In {@link Mode#PLAIN} the tree is taken as it is (a build step's staging directory, a
 * flattened container root for export).
 *
 * <p>Output is deterministic for a given tree: members are sorted by name (byte order of each
 * component), directories before their contents; hard-linked files appear once and then as
 * links; sockets are skipped (they cannot be archived); only {@code security.capability} among
 * the xattrs is kept, as Docker does. The root directory itself is not a member.
 */
public final class LayerPacker {
  public enum Mode { PLAIN, OVERLAY_UPPER }

  private static final String CAPABILITY_XATTR = "security.capability";

  private final TarWriter out;
  private final Mode mode;
  private final Predicate<String> include;
  private final LongUnaryOperator hostToImageId;
  private final Map<String, String> inodes = new HashMap<>(); // "dev:ino" -> first member name
  private long contentBytes;

  /** overlayfs's markers: trusted.* on the host, user.* when mounted in a user namespace. */
  private static final List<String> REDIRECT_XATTRS = List.of("trusted.overlay.redirect", "user.overlay.redirect");
  private static final List<String> OPAQUE_XATTRS = List.of(LayerUnpacker.OVERLAY_OPAQUE_XATTR, LayerUnpacker.OVERLAY_OPAQUE_USER_XATTR);

  private LayerPacker(TarWriter out, Mode mode, Predicate<String> include, LongUnaryOperator hostToImageId) {
    this.out = out;
    this.mode = mode;
    this.include = include;
    this.hostToImageId = hostToImageId;
  }

  /**
   * Writes the members for the tree under {@code root} (not the end marker) and returns the bytes
   * of regular file content. {@code include} sees each relative name and may leave it (and, for a
   * directory, everything below it) out.
   */
  public static long pack(Path root, TarWriter out, Mode mode, Predicate<String> include) throws IOException {
    return pack(root, out, mode, include, null);
  }

  /** As above, with owners mapped by {@code hostToImageId} (null: as they are on disk). */
  public static long pack(Path root, TarWriter out, Mode mode, Predicate<String> include, LongUnaryOperator hostToImageId)
      throws IOException {
    LayerPacker p = new LayerPacker(out, mode, include == null ? n -> true : include,
        hostToImageId == null ? LongUnaryOperator.identity() : hostToImageId);
    p.walk(root, "");
    return p.contentBytes;
  }

  private void walk(Path dir, String prefix) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path c : ds) children.add(c);
    }
    children.sort((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString()));
    for (Path child : children) {
      String name = prefix.isEmpty() ? child.getFileName().toString() : prefix + "/" + child.getFileName();
      if (!include.test(name)) continue;
      packOne(child, name);
    }
  }

  private void packOne(Path p, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,ino,dev,nlink,lastModifiedTime",
        LinkOption.NOFOLLOW_LINKS);
    int st = (Integer) a.get("mode");
    int fmt = st & NativeFs.S_IFMT;
    int perm = st & 07777;
    long uid = hostToImageId.applyAsLong((Integer) a.get("uid"));
    long gid = hostToImageId.applyAsLong((Integer) a.get("gid"));
    long mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.SECONDS);
    Map<String, byte[]> xattrs = xattrs(p, fmt);
    switch (fmt) {
      case NativeFs.S_IFDIR -> {
        if (mode == Mode.OVERLAY_UPPER && anyXattr(p, REDIRECT_XATTRS) != null) {
          throw new IOException("\"" + name + "\" was renamed under overlayfs redirect_dir: its contents are in a lower layer, "
              + "so the writable layer alone cannot be committed (mount the container with redirect_dir=off)");
        }
        out.add(new TarEntry(name, TarEntry.Type.DIR, perm, uid, gid, 0, mtime, null, 0, 0, xattrs));
        if (mode == Mode.OVERLAY_UPPER) {
          byte[] opaque = anyXattr(p, OPAQUE_XATTRS);
          if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
            out.add(new TarEntry(name + "/" + LayerUnpacker.OPAQUE_MARKER, TarEntry.Type.FILE, 0, uid, gid, 0, mtime,
                null, 0, 0, null));
          }
        }
        walk(p, name);
      }
      case NativeFs.S_IFREG -> {
        String key = a.get("dev") + ":" + a.get("ino");
        if ((Integer) a.get("nlink") > 1 && inodes.containsKey(key)) {
          out.add(new TarEntry(name, TarEntry.Type.HARDLINK, perm, uid, gid, 0, mtime, inodes.get(key), 0, 0, null));
          return;
        }
        if ((Integer) a.get("nlink") > 1) inodes.put(key, name);
        long size = (Long) a.get("size");
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(new TarEntry(name, TarEntry.Type.FILE, perm, uid, gid, size, mtime, null, 0, 0, xattrs), in);
        }
        contentBytes += size;
      }
      case NativeFs.S_IFLNK -> out.add(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime,
          Files.readSymbolicLink(p).toString(), 0, 0, null));
      case NativeFs.S_IFCHR, NativeFs.S_IFBLK -> {
        long rdev = (Long) a.get("rdev");
        if (mode == Mode.OVERLAY_UPPER && fmt == NativeFs.S_IFCHR && rdev == 0) { // an overlayfs whiteout
          String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
          String base = name.substring(parent.length());
          out.add(new TarEntry(parent + LayerUnpacker.WHITEOUT_PREFIX + base, TarEntry.Type.FILE, 0, uid, gid, 0,
              mtime, null, 0, 0, null));
          return;
        }
        out.add(new TarEntry(name, fmt == NativeFs.S_IFCHR ? TarEntry.Type.CHAR : TarEntry.Type.BLOCK, perm, uid, gid,
            0, mtime, null, NativeFs.major(rdev), NativeFs.minor(rdev), xattrs));
      }
      case NativeFs.S_IFIFO -> out.add(new TarEntry(name, TarEntry.Type.FIFO, perm, uid, gid, 0, mtime, null, 0, 0, xattrs));
      default -> {
        // sockets (and anything else) cannot be archived: skip, as tar and Docker do
      }
    }
  }

  private static byte[] anyXattr(Path p, List<String> names) throws IOException {
    for (String n : names) {
      byte[] v = NativeFs.getXattr(p, n);
      if (v != null) return v;
    }
    return null;
  }

  private static Map<String, byte[]> xattrs(Path p, int fmt) throws IOException {
    if (fmt == NativeFs.S_IFLNK) return Map.of();
    byte[] cap = NativeFs.getXattr(p, CAPABILITY_XATTR);
    return cap == null ? Map.of() : Map.of(CAPABILITY_XATTR, cap);
  }

  /** Compares names by their UTF-8 bytes, so the order does not depend on the JVM's locale. */
  static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }
}
