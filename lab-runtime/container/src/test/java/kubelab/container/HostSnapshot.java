package kubelab.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import kubelab.container.cgroups.CgroupDriver;

/**
 * What a leak would leave on the host: mount points, cgroups under the test's cgroup parent,
 * network namespaces (ip netns), and links (veths, the lab0 bridge). {@link #leaks} lists what is
 * new since an earlier snapshot and belongs to this test: other test runs on the same machine
 * may add and remove their own containers meanwhile, so only new objects of our own containers
 * count (a veth is ours when its name carries one of our container ids).
 */
record HostSnapshot(TreeSet<String> mounts, TreeSet<String> cgroups, TreeSet<String> netns, TreeSet<String> links) {

  static HostSnapshot take(String cgroupParent) throws IOException {
    TreeSet<String> mounts = new TreeSet<>();
    for (String l : Files.readAllLines(Path.of("/proc/self/mountinfo"))) mounts.add(l.split(" ")[4]);
    TreeSet<String> cgroups = new TreeSet<>(CgroupDriver.detect().children(cgroupParent));
    TreeSet<String> netns = new TreeSet<>();
    Path run = Path.of("/run/netns");
    if (Files.isDirectory(run)) try (var s = Files.list(run)) {
      s.forEach(p -> netns.add(p.getFileName().toString()));
    }
    TreeSet<String> links = new TreeSet<>();
    try (var s = Files.list(Path.of("/sys/class/net"))) {
      s.forEach(p -> links.add(p.getFileName().toString()));
    }
    return new HostSnapshot(mounts, cgroups, netns, links);
  }

  /** New objects in {@code after} that are ours ({@code ownIds}: every container id the test made). */
  List<String> leaks(HostSnapshot after, Collection<String> ownIds) {
    List<String> d = new ArrayList<>();
    for (String m : after.mounts) if (!mounts.contains(m)) d.add("new mount: " + m);
    for (String c : after.cgroups) if (!cgroups.contains(c)) d.add("new cgroup: " + c);
    for (String n : after.netns) if (!netns.contains(n)) d.add("new netns: " + n);
    boolean foreignVeth = false;
    for (String l : after.links) {
      if (!l.startsWith(Params.VETH_PREFIX)) continue;
      String prefix = l.substring(Params.VETH_PREFIX.length());
      boolean ours = ownIds.stream().anyMatch(id -> id.startsWith(prefix));
      if (ours && !links.contains(l)) d.add("new link: " + l);
      if (!ours) foreignVeth = true;
    }
    if (after.links.contains(Params.BRIDGE_NAME) && !links.contains(Params.BRIDGE_NAME) && !foreignVeth)
      d.add("new link: " + Params.BRIDGE_NAME + " (no container uses it)");
    return d;
  }
}
