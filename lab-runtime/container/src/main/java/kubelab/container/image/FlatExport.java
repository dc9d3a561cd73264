package kubelab.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.container.image.fs.LayeredView;
import kubelab.container.image.fs.NativeFs;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;

/**
 * {@code lab export}: a container's file system flattened into one tar, as {@code docker export}
 * writes it: no layers, no history, no config; deleted files are simply absent.
 *
 * <p>The tree is merged from the container's directories (its writable layer, then the image's
 * layers, topmost first) the way overlayfs merges them ({@link LayeredView}), rather than read
 * from the mounted root: that works for stopped containers too, and never descends into
 * {@code /proc}, {@code /sys} or volumes mounted inside. Members are sorted; hard links stay links.
 */
public final class FlatExport {
  private FlatExport() {}

  /** Writes the merged tree of {@code dirsTopFirst} to {@code out} as a tar (with the end marker; not closed). */
  public static void write(List<Path> dirsTopFirst, OutputStream out) throws IOException {
    LayeredView view = new LayeredView(dirsTopFirst);
    TarWriter w = new TarWriter(out);
    LayeredView.Node root = view.lookup("/", false);
    if (root != null) walk(view, root, "", w, new HashMap<>());
    w.finish();
    out.flush();
  }

  private static void walk(LayeredView view, LayeredView.Node dir, String prefix, TarWriter w, Map<String, String> inodes)
      throws IOException {
    Map<String, Path> entries = new TreeMap<>((a, b) -> java.util.Arrays.compareUnsigned(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    entries.putAll(view.list(dir));
    for (var e : entries.entrySet()) {
      String name = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
      Path p = e.getValue();
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,ino,dev,nlink,lastModifiedTime",
          LinkOption.NOFOLLOW_LINKS);
      int st = (Integer) a.get("mode");
      int perm = st & 07777;
      long uid = (Integer) a.get("uid");
      long gid = (Integer) a.get("gid");
      long mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(java.util.concurrent.TimeUnit.SECONDS);
      switch (st & NativeFs.S_IFMT) {
        case NativeFs.S_IFDIR -> {
          w.add(new TarEntry(name, TarEntry.Type.DIR, perm, uid, gid, 0, mtime, null, 0, 0, null));
          List<Path> merged = new ArrayList<>();
          for (Path d : dir.dirs()) { // the same name in each layer, until something hides the lower ones
            Path c = d.resolve(e.getKey());
            if (!Files.exists(c, LinkOption.NOFOLLOW_LINKS)) continue;
            if (!Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) break;
            merged.add(c);
            if (LayeredView.isOpaque(c)) break;
          }
          walk(view, new LayeredView.Node(true, merged, null), name, w, inodes);
        }
        case NativeFs.S_IFREG -> {
          String key = a.get("dev") + ":" + a.get("ino");
          if ((Integer) a.get("nlink") > 1 && inodes.containsKey(key)) {
            w.add(new TarEntry(name, TarEntry.Type.HARDLINK, perm, uid, gid, 0, mtime, inodes.get(key), 0, 0, null));
            continue;
          }
          if ((Integer) a.get("nlink") > 1) inodes.put(key, name);
          try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            byte[] cap = NativeFs.getXattr(p, "security.capability");
            w.add(new TarEntry(name, TarEntry.Type.FILE, perm, uid, gid, (Long) a.get("size"), mtime, null, 0, 0,
                cap == null ? null : Map.of("security.capability", cap)), in);
          }
        }
        case NativeFs.S_IFLNK -> w.add(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime,
            Files.readSymbolicLink(p).toString(), 0, 0, null));
        case NativeFs.S_IFCHR, NativeFs.S_IFBLK -> {
          long rdev = (Long) a.get("rdev");
          w.add(new TarEntry(name, (st & NativeFs.S_IFMT) == NativeFs.S_IFCHR ? TarEntry.Type.CHAR : TarEntry.Type.BLOCK,
              perm, uid, gid, 0, mtime, null, NativeFs.major(rdev), NativeFs.minor(rdev), null));
        }
        case NativeFs.S_IFIFO -> w.add(new TarEntry(name, TarEntry.Type.FIFO, perm, uid, gid, 0, mtime, null, 0, 0, null));
        default -> { } // sockets cannot be archived
      }
    }
  }
}
