package kubelab.container.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cgroup layout this host has, and how to make a container's cgroup in it.
 *
 * <ul>
 *   <li><b>v2 (unified)</b>: /sys/fs/cgroup is a cgroup2 mount; one tree, controllers enabled per
 *       subtree. Most current distributions.</li>
 *   <li><b>v1 (legacy or hybrid)</b>: /sys/fs/cgroup is a tmpfs with one cgroup mount per
 *       controller (memory, cpu, ...); a cgroup2 mount may sit beside them at
 *       /sys/fs/cgroup/unified (hybrid), which KubeLab then leaves alone, as it holds no controller
 *       KubeLab uses.</li>
 * </ul>
 *
 * Detection reads /proc/self/mountinfo once. Hierarchies are found by their mount options, not
 * by guessing paths, so co-mounted controllers ({@code cpu,cpuacct}) work.
 */
public final class CgroupDriver {
  private final String version;
  private final Path v2Root;
  private final Map<String, Path> v1Mounts; // controller → mount point

  private CgroupDriver(String version, Path v2Root, Map<String, Path> v1Mounts) {
    this.version = version;
    this.v2Root = v2Root;
    this.v1Mounts = v1Mounts;
  }

  /** The controllers KubeLab uses on v1, in the order their directories are made. */
  static final List<String> V1_CONTROLLERS = List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "freezer", "devices");

  private static volatile CgroupDriver detected;

  /** Detects the host's layout (cached). */
  public static CgroupDriver detect() {
    CgroupDriver d = detected;
    if (d == null) detected = d = detectNow();
    return d;
  }

  private static CgroupDriver detectNow() {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e.getMessage());
    }
    Map<String, Path> v1 = new LinkedHashMap<>();
    Path v2 = null;
    for (String line : lines) {
      // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
      int dash = line.indexOf(" - ");
      if (dash < 0) continue;
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) continue;
      String mountPoint = pre[4].replace("\\040", " ");
      if (post[0].equals("cgroup2") && mountPoint.equals("/sys/fs/cgroup")) v2 = Path.of(mountPoint);
      if (post[0].equals("cgroup") && pre[3].equals("/")) {
        for (String opt : post[2].split(",")) {
          if (V1_CONTROLLERS.contains(opt)) v1.putIfAbsent(opt, Path.of(mountPoint));
        }
      }
    }
    if (v2 != null) return new CgroupDriver("v2", v2, Map.of());
    if (!v1.isEmpty()) return new CgroupDriver("v1", null, v1);
    throw new IllegalStateException("this kernel has no cgroup filesystem mounted at /sys/fs/cgroup: mount cgroup2 there (or use a systemd-based distribution)");
  }

  public String version() {
    return version;
  }

  /**
   * A v2 layout on the cgroup2 mount {@code mount}, whatever the host's default is. On a hybrid
   * host (v1 controllers, plus a cgroup2 mount without them at /sys/fs/cgroup/unified) this puts
   * containers in the v2 tree: no limits can be set there (the controllers belong to v1), but the
   * core of v2 works for real: mkdir, cgroup.procs, cgroup.freeze, cgroup.kill, cgroup.events,
   * cpu.stat, rmdir. Tests use it to run the v2 code paths on such a host.
   */
  public static CgroupDriver unified(Path mount) {
    return new CgroupDriver("v2", mount, Map.of());
  }

  /** A cgroup2 mount beside v1 hierarchies (hybrid hosts: /sys/fs/cgroup/unified), or null. */
  public static Path hybridUnifiedMount() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        int dash = line.indexOf(" - ");
        if (dash < 0) continue;
        String[] pre = line.substring(0, dash).split(" ");
        if (line.substring(dash + 3).startsWith("cgroup2 ") && pre.length > 4 && !pre[4].equals("/sys/fs/cgroup"))
          return Path.of(pre[4]);
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The cgroup of container {@code name} under {@code parent} (not created yet). */
  public Cgroup forContainer(String parent, String name) {
    String rel = "/" + parent + "/" + name;
    return version.equals("v2") ? new CgroupV2(v2Root, rel) : new CgroupV1(v1Mounts, rel);
  }

  /** v1: controller → mount point; empty on v2. */
  public Map<String, Path> v1Mounts() {
    return v1Mounts;
  }

  public Path v2Root() {
    return v2Root;
  }

  /** The directories of {@code parent}: one per v1 hierarchy, or one in the v2 tree. */
  private List<Path> parentDirs(String parent) {
    List<Path> roots = version.equals("v2") ? List.of(v2Root) : List.copyOf(new java.util.LinkedHashSet<>(v1Mounts.values()));
    return roots.stream().map(r -> r.resolve(parent)).toList();
  }

  /** Every existing child cgroup directory under {@code parent} (for leak checks and GC). */
  public List<String> children(String parent) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (Path p : parentDirs(parent)) {
      if (!Files.isDirectory(p)) continue;
      try (var s = Files.list(p)) {
        s.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
      } catch (IOException e) {
        // vanished
      }
    }
    return List.copyOf(names);
  }

  /**
   * Removes the directories of {@code parent} that hold no container cgroup any more, as the
   * bridge goes when no container uses it. The kernel refuses to remove a cgroup with children,
   * so a container running (or being created) under it keeps it; a create that loses the race
   * makes the parent again (see {@link Cgroup#create}).
   */
  public void removeParentIfEmpty(String parent) {
    for (Path p : parentDirs(parent)) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // still in use, or not ours to remove (not root)
      }
    }
  }
}
