package kubelab.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import kubelab.container.shim.ShimProcess;
import kubelab.container.state.ContainerRecord;

/**
 * The host side of {@code lab run --userns}: a container whose root is an unprivileged uid on the
 * host (the C side, in userns.c, writes the maps and makes the idmapped layer mounts).
 *
 * <p>What a user namespace changes for the files of a container:
 * <ul>
 *   <li>container uid/gid 0..65535 are host ids 100000..165535 ({@link Params#USERNS_HOST_ID},
 *       {@link Params#USERNS_SIZE}); a file the container creates is owned by 100000 on the host;</li>
 *   <li>the container's own directories (writable layer, overlay work dir, init layer) are
 *       chowned to 100000 here, before the start; the image layers, shared with every other
 *       container, are never chowned: the supervisor mounts an idmapped view of each one
 *       (mount_setattr MOUNT_ATTR_IDMAP), so their root-owned files appear root-owned inside;</li>
 *   <li>the container's root walks host paths as uid 100000 (its upper and work directories, its
 *       mount point), so those must be searchable by "others": as Docker's daemon does for its
 *       root with userns-remap, the runtime adds o+x to its own directories and refuses, with the
 *       fix in the message, when a directory above the runtime's root is closed;</li>
 *   <li>the namespaces a container can join must belong to its user namespace: --net host and
 *       --net container:NAME are refused (Docker requires --userns=host for them too).</li>
 * </ul>
 */
final class UserNamespace {
  private UserNamespace() {}

  /** The uid_map / gid_map line: "inside outside count". */
  static String map() {
    return "0 " + Params.USERNS_HOST_ID + " " + Params.USERNS_SIZE;
  }

  /** Refuses what cannot work in a user namespace; called at create, before anything is made. */
  static void validate(ContainerSpec spec) {
    if (!spec.userns()) return;
    if (spec.image() == null) throw new ContainerException("--userns needs an image (a sandbox without one has no layers to map)");
    String kind = spec.network().kind();
    if (kind.equals("host") || kind.equals("container") || spec.joinNet() != null || spec.joinIpc() != null
        || spec.joinUts() != null || spec.joinPid() != null)
      throw new ContainerException("--userns cannot share the host's or another container's namespaces (--net "
          + spec.network() + "): they belong to the host's user namespace; use --net bridge or --net none");
  }

  /**
   * Prepares the container's directories before its start: one empty staging directory per image
   * layer (where the child attaches the idmapped view), the container's own directories owned by
   * the mapped root, and search permission on the way to them.
   *
   * @param dir   the container's directory
   * @param root  the runtime's state root
   */
  static void prepare(ContainerRecord r, Path dir, Path root, Path mountPoint) throws IOException {
    int layers = r.lowerDirs.size() - 1; // the first is the init layer
    if (layers > 128)
      throw new ContainerException("--userns supports images of up to 128 layers (this one has " + layers + "): flatten it (lab export | lab image import)");
    for (int i = 0; i < layers; i++) Files.createDirectories(dir.resolve("lower").resolve(Integer.toString(i)));
    int id = (int) Params.USERNS_HOST_ID;
    chown(Path.of(r.upperDir), id);
    chown(Path.of(r.workDir), id);
    try (Stream<Path> s = Files.walk(Path.of(r.initDir))) {
      for (Path p : (Iterable<Path>) s::iterator) chown(p, id);
    }
    for (Path p : List.of(root, root.resolve("containers"), dir, mountPoint)) searchable(p);
    reachable(root);
  }

  /** Adds the userns entries to the supervisor's configuration (after the plain ones). */
  static void configure(ShimProcess.Config c, ContainerRecord r, Path dir) {
    c.put("uidmap", r.uidMap);
    c.put("gidmap", r.gidMap);
    List<String> lower = new ArrayList<>();
    lower.add(r.initDir);
    for (int i = 1; i < r.lowerDirs.size(); i++) {
      String stage = dir.resolve("lower").resolve(Integer.toString(i - 1)).toString();
      c.put("idmap", r.lowerDirs.get(i) + "\t" + stage);
      lower.add(stage);
    }
    c.put("lower", String.join(":", lower));
  }

  private static void chown(Path p, int id) throws IOException {
    Files.setAttribute(p, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
  }

  /** Adds search permission for others (o+x) to one of the runtime's own directories. */
  private static void searchable(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(p, perms);
  }

  /** Fails when a directory above the runtime's root is closed to others (not ours to change). */
  private static void reachable(Path root) throws IOException {
    for (Path p = root.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE))
        throw new ContainerException("--userns: the container's root (uid " + Params.USERNS_HOST_ID + " on the host) cannot reach "
            + root + " because " + p + " is closed to others: chmod o+x " + p + ", or use a --root under an open directory");
    }
  }
}
