package kubelab.container.image.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of an image's file system computed from its unpacked layers, the way
 * overlayfs merges them, but without mounting anything: a name is looked up from the topmost
 * layer down; a whiteout (0/0 character device) hides the name in the layers below; a directory
 * is merged across layers until one is opaque ({@code trusted.overlay.opaque=y}). Symlinks are
 * followed inside the view (an absolute target means the image's root, never the host's).
 *
 * <p>The builder uses it to check COPY destinations, to resolve {@code --chown} names through the
 * image's {@code /etc/passwd}, and to read the files of {@code COPY --from} stages. Stateless
 * apart from the layer list; safe to share.
 */
public final class LayeredView {
  private static final int MAX_SYMLINKS = 40;

  private final List<Path> layers; // topmost first

  public LayeredView(List<Path> layersTopFirst) {
    this.layers = List.copyOf(layersTopFirst);
  }

  /** What a path resolves to: a directory (the layer dirs merging it, top first) or one object. */
  public record Node(boolean dir, List<Path> dirs, Path file) {}

  /** Resolves an absolute path; symlinks in the final component are followed if {@code follow}. Null if absent. */
  public Node lookup(String path, boolean follow) throws IOException {
    return lookup(components(path), follow, 0);
  }

  private Node lookup(List<String> comps, boolean follow, int hops) throws IOException {
    if (hops > MAX_SYMLINKS) throw new IOException("too many levels of symbolic links");
    List<Path> dirs = new ArrayList<>(layers);
    List<String> walked = new ArrayList<>();
    for (int i = 0; i < comps.size(); i++) {
      String c = comps.get(i);
      boolean last = i == comps.size() - 1;
      List<Path> next = new ArrayList<>();
      Path found = null;
      for (Path d : dirs) {
        Path p = d.resolve(c);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) continue;
        if (isWhiteout(p)) break;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          next.add(p);
          if (isOpaque(p)) break;
          continue;
        }
        if (next.isEmpty()) found = p;
        break;
      }
      if (found != null && Files.isSymbolicLink(found) && (!last || follow)) {
        String target = Files.readSymbolicLink(found).toString();
        List<String> resolved = new ArrayList<>(target.startsWith("/") ? List.of() : walked);
        resolved.addAll(components(target));
        resolved.addAll(comps.subList(i + 1, comps.size()));
        return lookup(normalize(resolved), follow, hops + 1);
      }
      if (found != null) return last ? new Node(false, List.of(), found) : null;
      if (next.isEmpty()) return null;
      dirs = next;
      walked.add(c);
    }
    return new Node(true, dirs, null);
  }

  /**
   * The path with every symlink of its existing directory prefix resolved inside the view, so a
   * COPY to {@code /bin/x} on an image where {@code /bin -> usr/bin} lands in {@code /usr/bin/x}
   * instead of replacing the link with a directory. Components that do not exist are kept.
   */
  public String realPath(String path) throws IOException {
    List<String> comps = components(path);
    List<String> done = new ArrayList<>();
    int hops = 0;
    for (int i = 0; i < comps.size(); i++) {
      List<String> probe = new ArrayList<>(done);
      probe.add(comps.get(i));
      Node n = lookup(probe, false, 0);
      if (n != null && !n.dir() && Files.isSymbolicLink(n.file()) && i < comps.size() - 1) {
        if (++hops > MAX_SYMLINKS) throw new IOException("too many levels of symbolic links in " + path);
        String target = Files.readSymbolicLink(n.file()).toString();
        List<String> rest = new ArrayList<>(target.startsWith("/") ? List.of() : done);
        rest.addAll(components(target));
        rest.addAll(comps.subList(i + 1, comps.size()));
        comps = normalize(rest);
        done.clear();
        i = -1;
        continue;
      }
      if (n == null) { // the rest does not exist: keep it as written
        done.addAll(comps.subList(i, comps.size()));
        break;
      }
      done.add(comps.get(i));
    }
    return "/" + String.join("/", done);
  }

  /** The merged entries of a directory: name -> the path of the visible entry (topmost). */
  public Map<String, Path> list(Node dir) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    java.util.Set<String> hidden = new java.util.HashSet<>();
    for (Path d : dir.dirs()) {
      List<Path> children;
      try (var s = Files.list(d)) {
        children = s.sorted().toList();
      }
      for (Path c : children) {
        String name = c.getFileName().toString();
        if (out.containsKey(name) || hidden.contains(name)) continue;
        if (isWhiteout(c)) hidden.add(name);
        else out.put(name, c);
      }
      if (isOpaque(d)) break;
    }
    return out;
  }

  /** The contents of a regular file, or null if the path is not one. */
  public byte[] read(String path) throws IOException {
    Node n = lookup(path, true);
    if (n == null || n.dir() || !Files.isRegularFile(n.file(), LinkOption.NOFOLLOW_LINKS)) return null;
    return Files.readAllBytes(n.file());
  }

  /** Looks up a user (or group) name in the image's /etc/passwd (or /etc/group); null if absent. */
  public Long idOf(String name, boolean group) throws IOException {
    byte[] db = read(group ? "/etc/group" : "/etc/passwd");
    if (db == null) return null;
    for (String line : new String(db, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(":");
      if (f.length > 2 && f[0].equals(name)) {
        try {
          return Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  public static boolean isWhiteout(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) a.get("mode") & NativeFs.S_IFMT) == NativeFs.S_IFCHR && (Long) a.get("rdev") == 0L;
  }

  public static boolean isOpaque(Path dir) throws IOException {
    byte[] v = NativeFs.getXattr(dir, LayerUnpacker.OVERLAY_OPAQUE_XATTR);
    return v != null && v.length == 1 && v[0] == 'y';
  }

  public static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String p : path.split("/")) if (!p.isEmpty() && !p.equals(".")) out.add(p);
    return normalize(out);
  }

  private static List<String> normalize(List<String> comps) {
    List<String> out = new ArrayList<>();
    for (String c : comps) {
      if (c.equals("..")) {
        if (!out.isEmpty()) out.remove(out.size() - 1);
      } else if (!c.equals(".") && !c.isEmpty()) {
        out.add(c);
      }
    }
    return out;
  }
}
