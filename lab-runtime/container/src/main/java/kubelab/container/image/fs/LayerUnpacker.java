package kubelab.container.image.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarReader;

/**
 * Unpacks one OCI layer tar into an empty directory so that it can serve as an overlayfs lower
 * directory, translating the OCI whiteouts into overlayfs's own form:
 * <ul>
 *   <li>{@code dir/.wh.NAME} (NAME deleted in this layer) becomes a character device 0/0 named
 *       {@code dir/NAME};
 *   <li>{@code dir/.wh..wh..opq} (dir's lower contents hidden) becomes the xattr
 *       {@code trusted.overlay.opaque=y} on {@code dir}, and {@code user.overlay.opaque=y}, the
 *       form overlayfs reads when a container mounts it inside its user namespace (--userns).
 * </ul>
 * overlayfs honours both in lower layers as in the upper one, which is how Docker's overlay2
 * driver stacks layers (OCI image-spec layer.md, "Whiteouts"; kernel overlayfs.rst).
 *
 * <p>A tar comes from outside, so nothing in it may escape {@code dest}: names with {@code ..}
 * are refused, and no member is written through a symlink (a layer that makes {@code etc} a link
 * to {@code /etc} and then writes {@code etc/passwd} is refused). Owners, modes including
 * setuid/setgid/sticky, device numbers, {@code security.capability} and other xattrs, and
 * modification times are restored (owners only as root). A hard link to a file of an earlier
 * layer (allowed by OCI) is materialized as a copy from {@code lowerDirs}.
 *
 * <p>Blocking; not thread-safe for the same {@code dest}. The caller unpacks into a temporary
 * directory and renames it into place, so a failure leaves nothing half-written.
 */
public final class LayerUnpacker {
  public static final String WHITEOUT_PREFIX = ".wh.";
  public static final String OPAQUE_MARKER = ".wh..wh..opq";
  public static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
  /** The same marker as overlayfs reads it when mounted inside a user namespace (option userxattr, --userns). */
  public static final String OVERLAY_OPAQUE_USER_XATTR = "user.overlay.opaque";

  private static final boolean ROOT = isRoot();

  private final Path dest;
  private final List<Path> lowerDirs;
  private final Set<Path> checkedDirs = new HashSet<>();
  private final List<TarEntry> dirTimes = new ArrayList<>();
  private long contentBytes;
  private int entries;

  private LayerUnpacker(Path dest, List<Path> lowerDirs) {
    this.dest = dest;
    this.lowerDirs = lowerDirs;
  }

  /** What an unpack found: bytes of regular file content and member count. */
  public record Stats(long contentBytes, int entries) {}

  /**
   * Unpacks {@code tar} (uncompressed) into {@code dest}, which must exist and be empty.
   * {@code lowerDirs} (topmost first) are the already-unpacked layers below, for hard links
   * into them; may be empty.
   */
  public static Stats unpack(InputStream tar, Path dest, List<Path> lowerDirs) throws IOException {
    LayerUnpacker u = new LayerUnpacker(dest, lowerDirs);
    Files.setAttribute(dest, "unix:mode", 0755);
    u.checkedDirs.add(dest);
    TarReader r = new TarReader(tar);
    for (TarEntry e; (e = r.next()) != null; ) {
      u.apply(e, r.content());
      u.entries++;
    }
    // Directory times last: creating children would change them again.
    for (int i = u.dirTimes.size() - 1; i >= 0; i--) {
      TarEntry d = u.dirTimes.get(i);
      Path p = d.name().isEmpty() ? dest : dest.resolve(d.name());
      Files.setLastModifiedTime(p, FileTime.from(d.mtimeSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }
    return new Stats(u.contentBytes, u.entries);
  }

  private void apply(TarEntry e, InputStream data) throws IOException {
    String name = e.name();
    for (String part : name.split("/")) {
      if (part.equals("..")) throw new IOException("layer member \"" + name + "\" points outside the layer (\"..\"): refusing it");
    }
    if (name.isEmpty()) { // the layer root "./": its metadata becomes the root directory's
      if (e.isDir()) {
        setMetadata(dest, e);
        dirTimes.add(e);
      }
      return;
    }
    Path parent = ensureParent(e.parentName(), name);
    String base = e.baseName();
    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (base.equals(OPAQUE_MARKER)) {
        NativeFs.setXattr(parent, OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
        NativeFs.setXattr(parent, OVERLAY_OPAQUE_USER_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
      } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) { // .wh..wh.* are aufs metadata: skip
        Path target = parent.resolve(base.substring(WHITEOUT_PREFIX.length()));
        removeExisting(target);
        NativeFs.whiteout(target);
        setOwner(target, e);
      }
      return;
    }
    Path target = parent.resolve(base);
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    if (exists && !(e.isDir() && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) removeExisting(target);
    switch (e.type()) {
      case DIR -> {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(target);
        checkedDirs.add(target);
        dirTimes.add(e);
      }
      case FILE -> {
        Files.copy(data, target, StandardCopyOption.REPLACE_EXISTING);
        contentBytes += e.size();
      }
      case SYMLINK -> Files.createSymbolicLink(target, Path.of(e.linkName()));
      case HARDLINK -> hardLink(e, target);
      case CHAR -> NativeFs.mknod(target, NativeFs.S_IFCHR, e.mode(), e.devMajor(), e.devMinor());
      case BLOCK -> NativeFs.mknod(target, NativeFs.S_IFBLK, e.mode(), e.devMajor(), e.devMinor());
      case FIFO -> NativeFs.mknod(target, NativeFs.S_IFIFO, e.mode(), 0, 0);
    }
    if (e.type() != TarEntry.Type.HARDLINK) setMetadata(target, e);
  }

  private void hardLink(TarEntry e, Path target) throws IOException {
    String link = TarReader.clean(e.linkName());
    for (String part : link.split("/")) {
      if (part.equals("..")) throw new IOException("hard link \"" + e.name() + "\" points outside the layer: refusing it");
    }
    int slash = link.lastIndexOf('/');
    String linkParent = slash < 0 ? "" : link.substring(0, slash);
    Path source = dest.resolve(link);
    if (noSymlinkBetween(dest, linkParent) && Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.createLink(target, source);
      return;
    }
    for (Path lower : lowerDirs) { // a link to a file of an earlier layer: copy it up
      Path s = lower.resolve(link);
      if (noSymlinkBetween(lower, linkParent) && Files.isRegularFile(s, LinkOption.NOFOLLOW_LINKS)) {
        Files.copy(s, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return;
      }
    }
    throw new IOException("hard link \"" + e.name() + "\" -> \"" + link + "\": the target is not in this layer or below");
  }

  /** Creates missing parent directories (0755) and checks that no component is a symlink. */
  private Path ensureParent(String parentName, String memberName) throws IOException {
    if (parentName.isEmpty()) return dest;
    Path p = dest.resolve(parentName);
    if (checkedDirs.contains(p)) return p;
    Path cur = dest;
    for (String part : parentName.split("/")) {
      cur = cur.resolve(part);
      if (checkedDirs.contains(cur)) continue;
      if (Files.isSymbolicLink(cur)) {
        throw new IOException("layer member \"" + memberName + "\" would be written through the symlink \""
            + dest.relativize(cur) + "\": refusing it");
      }
      if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(cur);
        Files.setAttribute(cur, "unix:mode", 0755);
      } else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("layer member \"" + memberName + "\" needs \"" + dest.relativize(cur)
            + "\" to be a directory, but an earlier member made it a file");
      }
      checkedDirs.add(cur);
    }
    return p;
  }

  private static boolean noSymlinkBetween(Path root, String relParent) {
    if (relParent.isEmpty()) return true;
    Path cur = root;
    for (String part : relParent.split("/")) {
      cur = cur.resolve(part);
      if (Files.isSymbolicLink(cur) || !Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) return false;
    }
    return true;
  }

  private void removeExisting(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      checkedDirs.removeIf(d -> d.startsWith(target));
      dirTimes.removeIf(d -> !d.name().isEmpty() && dest.resolve(d.name()).startsWith(target));
      Trees.deleteRecursively(target);
    } else {
      try {
        Files.delete(target);
      } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
        throw new IOException("cannot replace " + target + ": " + e.getMessage());
      }
    }
  }

  private void setMetadata(Path p, TarEntry e) throws IOException {
    setOwner(p, e);
    if (e.type() != TarEntry.Type.SYMLINK) Files.setAttribute(p, "unix:mode", e.mode() & 07777);
    for (var x : e.xattrs().entrySet()) {
      String key = x.getKey();
      if (key.startsWith("trusted.overlay.") || key.startsWith("user.overlay.")) continue; // never trust these from a tar
      try {
        NativeFs.setXattr(p, key, x.getValue());
      } catch (IOException ex) {
        if (key.equals("security.capability") && ROOT) throw ex; // losing a file capability changes behaviour
      }
    }
    if (e.type() == TarEntry.Type.FILE || e.type() == TarEntry.Type.SYMLINK) {
      FileTime t = FileTime.from(e.mtimeSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(t, null, null);
    }
  }

  private static void setOwner(Path p, TarEntry e) throws IOException {
    if (!ROOT) return; // an unprivileged unpack keeps the caller as owner
    Files.setAttribute(p, "unix:uid", (int) e.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", (int) e.gid(), LinkOption.NOFOLLOW_LINKS);
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
