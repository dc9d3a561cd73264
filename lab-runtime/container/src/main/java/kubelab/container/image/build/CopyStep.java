package kubelab.container.image.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kubelab.container.image.ImageException;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.StoredImage;
import kubelab.container.image.fs.LayeredView;

/**
 * Plans one COPY or ADD with Docker's rules (Dockerfile reference, "COPY" and "ADD"):
 * <ul>
 *   <li>a relative destination is relative to WORKDIR; several sources (or a wildcard matching
 *       several) need a destination ending in {@code /};
 *   <li>a source directory's contents (not the directory itself) are copied into the destination;
 *       a file goes to {@code dest/NAME} when the destination ends in {@code /} or is a directory
 *       in the image, else to {@code dest};
 *   <li>files are owned by 0:0 unless {@code --chown=USER[:GROUP]} (names looked up in the
 *       image's {@code /etc/passwd} and {@code /etc/group}; a user without group uses the same
 *       number); {@code --chmod=OCTAL} overrides modes;
 *   <li>ADD extracts local tar archives (plain or gzip, recognized by content) into the
 *       destination directory, keeping their owners; ADD of a URL is refused (no network);
 *   <li>{@code COPY --from=STAGE|INDEX|IMAGE} reads from another stage's or an image's file
 *       system instead of the context.
 * </ul>
 * Existing parent directories in the image keep their mode and owner, and symlinked
 * destination directories are followed.
 */
final class CopyStep {
  private final OciImageStore store;
  private final BuildContext context;
  private final Builder.Stage stage;
  private final Instruction ins;
  private final List<String> words;
  private final Function<String, Builder.Stage> stages;
  private String dest;
  private String kind = "multi";

  CopyStep(OciImageStore store, BuildContext context, Builder.Stage stage, Instruction ins, List<String> words,
           char escape, Function<String, Builder.Stage> stages) {
    this.store = store;
    this.context = context;
    this.stage = stage;
    this.ins = ins;
    this.words = words;
    this.stages = stages;
  }

  /** The destination as written, made absolute (for history). */
  String dest() {
    return dest;
  }

  String checksumKind() {
    return kind;
  }

  /** A source to copy: its name (for messages), host path, and the view it comes from (null: context). */
  private record Source(String name, Path path) {}

  CopyPlan plan() throws IOException {
    boolean add = ins.keyword().equals("ADD");
    if (words.size() < 2) {
      throw new IOException(ins.keyword() + " requires at least two arguments, but only one was provided. Destination could not be determined");
    }
    String rawDest = words.get(words.size() - 1);
    List<String> srcs = words.subList(0, words.size() - 1);
    String wd = stage.config.workingDir() == null ? "/" : stage.config.workingDir();
    boolean destDirHint = rawDest.endsWith("/") || rawDest.equals(".") || rawDest.endsWith("/.");
    dest = rawDest.startsWith("/") ? rawDest : (wd.endsWith("/") ? wd : wd + "/") + rawDest;

    LayeredView target = new LayeredView(stage.image == null ? List.of() : store.layerDirs(store.toImage(stage.image)));
    String destReal = target.realPath(dest);

    // --chown / --chmod
    long uid = 0;
    long gid = 0;
    boolean chown = ins.flags().containsKey("chown");
    if (chown) {
      String spec = ins.flags().get("chown");
      String u = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
      String g = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : null;
      uid = id(target, u, false);
      gid = g == null ? uid : id(target, g, true);
    }
    Integer chmod = null;
    if (ins.flags().containsKey("chmod")) {
      try {
        chmod = Integer.parseInt(ins.flags().get("chmod"), 8) & 07777;
      } catch (NumberFormatException e) {
        throw new IOException("--chmod must be octal (like 755), not \"" + ins.flags().get("chmod") + "\"");
      }
    }

    // Sources: the context, or another stage / image.
    List<Source> sources = new ArrayList<>();
    String from = ins.flags().get("from");
    LayeredView fromView = null;
    if (from != null) {
      if (add) throw new IOException("ADD does not take --from (use COPY --from)");
      Builder.Stage st = stages.apply(from);
      StoredImage img = st != null ? st.image : store.details(from);
      fromView = new LayeredView(img == null ? List.of() : store.layerDirs(store.toImage(img)));
    }
    for (String src : srcs) {
      if (src.startsWith("http://") || src.startsWith("https://")) {
        throw new IOException("ADD of a URL needs the network, which builds do not have: download " + src + " and COPY it");
      }
      if (fromView != null) {
        LayeredView.Node n = fromView.lookup(src.startsWith("/") ? src : "/" + src, true);
        if (n == null) throw new IOException("COPY failed: stat " + src + ": file does not exist in " + from);
        sources.add(new Source(src, n.dir() ? null : n.file()));
        if (n.dir()) viewDirs.put(sources.size() - 1, n);
        continue;
      }
      List<String> matches = context.sources(src);
      if (matches.isEmpty()) {
        throw new IOException(ins.keyword() + " failed: file not found in build context or excluded by .dockerignore: stat "
            + src + ": file does not exist");
      }
      for (String m : matches) sources.add(new Source(m, m.isEmpty() ? context.dir() : context.dir().resolve(m)));
    }
    boolean multiple = sources.size() > 1;
    if (multiple && !destDirHint) {
      throw new IOException("When using " + ins.keyword() + " with more than one source file, the destination must be a directory and end with a /");
    }
    LayeredView.Node existing = target.lookup(destReal, true);
    boolean destIsDir = destDirHint || multiple || (existing != null && existing.dir());
    String destRel = destReal.substring(1);

    CopyPlan plan = new CopyPlan();
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      if (viewDirs.containsKey(i)) { // a directory of another stage
        kind = sources.size() == 1 ? "dir" : "multi";
        addDirRoot(plan, target, destRel, 0755, mtimeNow(), chown, uid, gid);
        copyViewDir(plan, fromView, viewDirs.get(i), destRel, chown, uid, gid, chmod);
        continue;
      }
      Path p = s.path();
      if (fromView == null && Files.isSymbolicLink(p)) { // the named source itself is followed, inside the context
        p = p.toRealPath();
        if (!p.startsWith(context.dir().toRealPath())) throw new IOException("forbidden path outside the build context: " + s.name());
      }
      if (Files.isDirectory(p)) {
        kind = sources.size() == 1 ? "dir" : "multi";
        addDirRoot(plan, target, destRel, chmod != null ? chmod : CopyPlan.modeOf(p), CopyPlan.mtimeOf(p), chown, uid, gid);
        String prefix = s.name();
        final Path root = p;
        final boolean fromContext = fromView == null;
        for (String rel : CopyPlan.walk(p, r -> !fromContext || !context.excluded(prefix.isEmpty() ? r : prefix + "/" + r))) {
          Path f = root.resolve(rel);
          plan.add(item(f, join(destRel, rel), chown, uid, gid, chmod));
        }
      } else if (add && fromView == null && CopyPlan.isArchive(p)) {
        kind = sources.size() == 1 ? "file" : "multi";
        addDirRoot(plan, target, destRel, 0755, CopyPlan.mtimeOf(p), chown, uid, gid);
        plan.add(new CopyPlan.Item(destRel, CopyPlan.Kind.ARCHIVE, p, 0, chown ? uid : -1,
            chown ? gid : -1, null, CopyPlan.mtimeOf(p)));
      } else {
        kind = sources.size() == 1 ? "file" : "multi";
        String to = destIsDir ? join(destRel, p.getFileName().toString()) : destRel;
        if (to.isEmpty()) throw new IOException("cannot copy a file onto the root directory");
        plan.add(item(p, to, chown, uid, gid, chmod));
      }
    }
    addParents(plan, target);
    return plan;
  }

  private final Map<Integer, LayeredView.Node> viewDirs = new java.util.HashMap<>();

  private CopyPlan.Item item(Path f, String to, boolean chown, long uid, long gid, Integer chmod) throws IOException {
    Map<String, Object> a = Files.readAttributes(f, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    long u = chown ? uid : 0;
    long g = chown ? gid : 0;
    long mtime = CopyPlan.mtimeOf(f);
    if (Files.isSymbolicLink(f)) {
      return new CopyPlan.Item(to, CopyPlan.Kind.SYMLINK, f, 0777, u, g, Files.readSymbolicLink(f).toString(), mtime);
    }
    int mode = chmod != null ? chmod : (Integer) a.get("mode") & 07777;
    if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) return new CopyPlan.Item(to, CopyPlan.Kind.DIR, f, mode, u, g, null, mtime);
    if (!CopyPlan.isRegular(f)) throw new IOException("cannot copy " + f.getFileName() + ": not a regular file, directory or symlink");
    return new CopyPlan.Item(to, CopyPlan.Kind.FILE, f, mode, u, g, null, mtime);
  }

  private void copyViewDir(CopyPlan plan, LayeredView view, LayeredView.Node dir, String to, boolean chown, long uid,
                           long gid, Integer chmod) throws IOException {
    for (var e : view.list(dir).entrySet()) {
      Path f = e.getValue();
      String name = join(to, e.getKey());
      CopyPlan.Item it = item(f, name, chown, uid, gid, chmod);
      if (!chown) { // from an image, owners come along
        Map<String, Object> a = Files.readAttributes(f, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
        it = new CopyPlan.Item(it.dest(), it.kind(), it.source(), it.mode(), (Integer) a.get("uid"), (Integer) a.get("gid"), it.link(), it.mtime());
      }
      plan.add(it);
      if (it.kind() == CopyPlan.Kind.DIR) {
        List<Path> merged = new ArrayList<>();
        for (Path d : dir.dirs()) {
          Path c = d.resolve(e.getKey());
          if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) merged.add(c);
        }
        copyViewDir(plan, view, new LayeredView.Node(true, merged, null), name, chown, uid, gid, chmod);
      }
    }
  }

  /** The destination directory itself, unless the image already has it (then it stays as it is). */
  private void addDirRoot(CopyPlan plan, LayeredView target, String destRel, int mode, long mtime, boolean chown, long uid,
                          long gid) throws IOException {
    if (destRel.isEmpty()) return;
    LayeredView.Node n = target.lookup("/" + destRel, true);
    if (n != null && n.dir()) return;
    plan.add(new CopyPlan.Item(destRel, CopyPlan.Kind.DIR, null, mode, chown ? uid : 0, chown ? gid : 0, null, mtime));
  }

  /** Every ancestor of every member, with the image's own metadata when it exists there. */
  private void addParents(CopyPlan plan, LayeredView target) throws IOException {
    java.util.Set<String> seen = new java.util.HashSet<>();
    long mtime = mtimeNow();
    for (String name : plan.names()) {
      String[] parts = name.split("/");
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.length - 1; i++) {
        if (parts[i].isEmpty()) continue;
        if (prefix.length() > 0) prefix.append('/');
        prefix.append(parts[i]);
        String p = prefix.toString();
        if (!seen.add(p)) continue;
        LayeredView.Node n = target.lookup("/" + p, false);
        if (n != null && n.dir()) {
          Map<String, Object> a = Files.readAttributes(n.dirs().get(0), "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
          plan.addParent(new CopyPlan.Item(p, CopyPlan.Kind.DIR, null, (Integer) a.get("mode") & 07777, (Integer) a.get("uid"),
              (Integer) a.get("gid"), null, CopyPlan.mtimeOf(n.dirs().get(0))));
        } else {
          plan.addParent(new CopyPlan.Item(p, CopyPlan.Kind.DIR, null, 0755, 0, 0, null, mtime));
        }
      }
    }
  }

  private long mtimeNow() {
    return store.clock().instant().getEpochSecond();
  }

  private static long id(LayeredView target, String nameOrNumber, boolean group) throws IOException {
    if (nameOrNumber.matches("\\d+")) return Long.parseLong(nameOrNumber);
    Long id = target.idOf(nameOrNumber, group);
    if (id == null) {
      throw new ImageException("unable to find " + (group ? "group " : "user ") + nameOrNumber + ": no matching entries in "
          + (group ? "group" : "passwd") + " file");
    }
    return id;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return a + "/" + b;
  }
}
