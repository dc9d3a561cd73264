package kubelab.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarReader;

/**
 * Extracts an image archive (an OCI layout or a {@code docker save} tarball, not a root file
 * system) into a staging directory: only directories and regular files, with links resolved to
 * copies inside the archive. Old {@code docker save} archives link duplicate layers
 * ({@code <id>/layer.tar -> ../<other>/layer.tar}); nothing else in an image archive needs to be a
 * link, so a link that leaves the archive is refused. Owners and modes are not kept: these files
 * are read once and become blobs.
 */
final class ArchiveExtractor {
  private ArchiveExtractor() {}

  /** Extracts {@code tar} (uncompressed) into the existing empty directory {@code dest}. */
  static void extract(InputStream tar, Path dest) throws IOException {
    Map<String, String> links = new LinkedHashMap<>(); // member -> target member
    TarReader r = new TarReader(tar);
    for (TarEntry e; (e = r.next()) != null; ) {
      String name = e.name();
      if (name.isEmpty()) continue;
      check(name);
      Path p = dest.resolve(name);
      switch (e.type()) {
        case DIR -> Files.createDirectories(p);
        case FILE -> {
          Files.createDirectories(p.getParent());
          Files.copy(r.content(), p, StandardCopyOption.REPLACE_EXISTING);
        }
        case SYMLINK -> links.put(name, resolveLink(e.parentName(), e.linkName(), name));
        case HARDLINK -> links.put(name, TarReader.clean(e.linkName()));
        default -> { } // devices and fifos have no place in an image archive
      }
    }
    for (var l : links.entrySet()) {
      check(l.getValue());
      Path source = dest.resolve(l.getValue());
      if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) continue; // a dangling link: ignored
      Path target = dest.resolve(l.getKey());
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Top-level member names (the first path component of every member), without extracting. */
  static Set<String> topLevel(InputStream tar) throws IOException {
    Set<String> names = new TreeSet<>();
    TarReader r = new TarReader(tar);
    for (TarEntry e; (e = r.next()) != null; ) {
      if (e.name().isEmpty()) continue;
      int slash = e.name().indexOf('/');
      names.add(slash < 0 ? e.name() : e.name().substring(0, slash));
    }
    return names;
  }

  private static String resolveLink(String dir, String target, String member) throws IOException {
    if (target.startsWith("/")) throw new IOException("archive member \"" + member + "\" links outside the archive");
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    if (!dir.isEmpty()) for (String p : dir.split("/")) parts.addLast(p);
    for (String p : target.split("/")) {
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (parts.isEmpty()) throw new IOException("archive member \"" + member + "\" links outside the archive");
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    return String.join("/", parts);
  }

  private static void check(String name) throws IOException {
    for (String part : name.split("/")) {
      if (part.equals("..")) throw new IOException("archive member \"" + name + "\" points outside the archive (\"..\")");
    }
  }
}
