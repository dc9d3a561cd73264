package kubelab.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kubelab.container.cgroups.CgroupDriver;

/**
 * What a leak would change on the host: mount points, KubeLab's cgroups, network namespaces
 * (ip netns), network links, and kubelab-shim processes. Two snapshots are compared with
 * {@link #diff}.
 */
record HostSnapshot(TreeSet<String> mounts, TreeSet<String> cgroups, TreeSet<String> netns, TreeSet<String> links,
                    TreeSet<String> shims) {

  static HostSnapshot take() throws IOException {
    TreeSet<String> mounts = new TreeSet<>();
    for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) mounts.add(l.split(" ")[4]);
    TreeSet<String> cgroups = new TreeSet<>(CgroupDriver.detect().children(Params.DEFAULT_CGROUP_PARENT));
    TreeSet<String> netns = new TreeSet<>();
    Path run = Path.of("/run/netns");
    if (Files.isDirectory(run)) try (var s = Files.list(run)) {
      s.forEach(p -> netns.add(p.getFileName().toString()));
    }
    TreeSet<String> links = new TreeSet<>();
    try (var s = Files.list(Path.of("/sys/class/net"))) {
      s.forEach(p -> links.add(p.getFileName().toString()));
    }
    TreeSet<String> shims = new TreeSet<>();
    try (var s = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().matches("[0-9]+")) continue;
        try {
          String comm = Files.readString(p.resolve("comm")).trim();
          if (comm.equals("kubelab-shim")) shims.add(p.getFileName() + " " + new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' '));
        } catch (IOException e) {
          // gone
        }
      }
    }
    return new HostSnapshot(mounts, cgroups, netns, links, shims);
  }

  /** Human-readable differences, empty when the host is as it was. */
  List<String> diff(HostSnapshot after) {
    List<String> d = new ArrayList<>();
    diff(d, "mount", mounts, after.mounts);
    diff(d, "cgroup", cgroups, after.cgroups);
    diff(d, "netns", netns, after.netns);
    diff(d, "link", links, after.links);
    diff(d, "shim process", shims, after.shims);
    return d;
  }

  private static void diff(List<String> d, String what, TreeSet<String> a, TreeSet<String> b) {
    for (String x : b) if (!a.contains(x)) d.add("new " + what + ": " + x);
    for (String x : a) if (!b.contains(x)) d.add("gone " + what + ": " + x);
  }
}
