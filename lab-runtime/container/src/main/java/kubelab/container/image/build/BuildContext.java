package kubelab.container.image.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The build context: the directory given to {@code lab image build}, minus what
 * {@code .dockerignore} excludes. The builder reads it in place (no tarball is "sent": KubeLab's
 * builder runs in the same process, as BuildKit reads only what a step needs, CURRICULUM C36),
 * but it reports the context's size as {@code docker build} does, so a learner can watch a big
 * file inflate it and {@code .dockerignore} shrink it again.
 *
 * <p>Sources are resolved inside the context only: a path that leaves it ({@code ../x}) is an
 * error, and an excluded path is "not found", as in Docker.
 */
final class BuildContext {
  private final Path dir;
  private final DockerIgnore ignore;
  private final List<String> files = new ArrayList<>();
  private final List<String> excluded = new ArrayList<>();
  private long bytes;
  private long excludedBytes;

  private BuildContext(Path dir, DockerIgnore ignore) {
    this.dir = dir;
    this.ignore = ignore;
  }

  static BuildContext open(Path dir) throws IOException {
    BuildContext c = new BuildContext(dir, DockerIgnore.load(dir));
    c.scan(dir, "");
    return c;
  }

  private void scan(Path d, String prefix) throws IOException {
    List<Path> children;
    try (var s = Files.list(d)) {
      children = s.sorted().toList();
    }
    for (Path c : children) {
      String rel = prefix.isEmpty() ? c.getFileName().toString() : prefix + "/" + c.getFileName();
      boolean isDir = Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS);
      if (ignore.excluded(rel)) {
        if (isDir) {
          long[] sz = {0, 0};
          try (var w = Files.walk(c)) {
            w.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
              sz[0]++;
              sz[1] += p.toFile().length();
            });
          }
          excluded.add(rel + "/ (" + sz[0] + " files)");
          excludedBytes += sz[1];
        } else {
          excluded.add(rel);
          excludedBytes += Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS) ? Files.size(c) : 0;
        }
        continue;
      }
      if (isDir) {
        scan(c, rel);
      } else {
        files.add(rel);
        if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) bytes += Files.size(c);
      }
    }
  }

  Path dir() {
    return dir;
  }

  int files() {
    return files.size();
  }

  long bytes() {
    return bytes;
  }

  int excludedFiles() {
    return excluded.size();
  }

  long excludedBytes() {
    return excludedBytes;
  }

  List<String> list() {
    return files;
  }

  List<String> excludedList() {
    return excluded;
  }

  boolean excluded(String rel) {
    return ignore.excluded(rel);
  }

  /**
   * The context paths a COPY source names: itself, or with wildcards every match (sorted), each
   * relative to the context root. Empty when nothing matches.
   *
   * @throws IOException for a path outside the context
   */
  List<String> sources(String src) throws IOException {
    List<String> comps = new ArrayList<>();
    for (String p : src.split("/")) {
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (comps.isEmpty()) throw new IOException("forbidden path outside the build context: " + src);
        comps.remove(comps.size() - 1);
      } else {
        comps.add(p);
      }
    }
    List<String> matches = new ArrayList<>();
    match(dir, "", comps, 0, matches);
    return matches;
  }

  private void match(Path base, String rel, List<String> comps, int i, List<String> out) throws IOException {
    if (i == comps.size()) {
      if (rel.isEmpty() || !ignore.excluded(rel)) out.add(rel);
      return;
    }
    String c = comps.get(i);
    if (!c.contains("*") && !c.contains("?") && !c.contains("[")) {
      Path p = base.resolve(c);
      String r = rel.isEmpty() ? c : rel + "/" + c;
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || ignore.excluded(r)) return;
      if (i < comps.size() - 1 && !Files.isDirectory(p)) return;
      match(p, r, comps, i + 1, out);
      return;
    }
    if (!Files.isDirectory(base)) return;
    Pattern pat = Pattern.compile(globRegex(c));
    List<Path> children;
    try (var s = Files.list(base)) {
      children = s.sorted().toList();
    }
    for (Path p : children) {
      String name = p.getFileName().toString();
      if (!pat.matcher(name).matches()) continue;
      String r = rel.isEmpty() ? name : rel + "/" + name;
      if (ignore.excluded(r)) continue;
      if (i < comps.size() - 1 && !Files.isDirectory(p)) continue;
      match(p, r, comps, i + 1, out);
    }
  }

  private static String globRegex(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      if (c == '*') re.append("[^/]*");
      else if (c == '?') re.append("[^/]");
      else if (c == '[' || c == ']') re.append(c);
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return re.toString();
  }
}
