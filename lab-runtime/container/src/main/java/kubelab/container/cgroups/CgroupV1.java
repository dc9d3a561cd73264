package kubelab.container.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import kubelab.container.Params;
import kubelab.container.Resources;
import kubelab.container.Trace;

/**
 * A container's cgroup on cgroup v1: the same relative path in each hierarchy KubeLab uses.
 *
 * <p>File names are v1's: memory.limit_in_bytes, memory.memsw.limit_in_bytes,
 * cpu.cfs_quota_us/cpu.cfs_period_us, cpu.shares, cpuset.cpus, pids.max, freezer.state.
 *
 * <p>Two things are set once on the parent ({@code /kubelab}) and inherited by every container,
 * so a container start does not pay for them: cpuset's cpus and mems (with
 * cgroup.clone_children=1, a new cpuset starts empty otherwise and refuses tasks), and the
 * devices allow-list (Docker's default: only the standard character devices and ptys), which a
 * new devices cgroup copies from its parent.
 */
final class CgroupV1 implements Cgroup {
  private final Map<String, Path> mounts; // controller → mount point
  private final String rel;
  private final Map<String, Path> dirs = new LinkedHashMap<>(); // controller → dir (deduplicated by mount)

  CgroupV1(Map<String, Path> mounts, String rel) {
    this.mounts = mounts;
    this.rel = rel;
    Map<Path, String> seen = new LinkedHashMap<>();
    for (var e : mounts.entrySet()) {
      if (seen.containsKey(e.getValue())) continue;
      seen.put(e.getValue(), e.getKey());
      dirs.put(e.getKey(), e.getValue().resolve(rel.substring(1)));
    }
  }

  @Override public String version() { return "v1"; }
  @Override public String relativePath() { return rel; }
  @Override public List<Path> dirs() { return List.copyOf(dirs.values()); }
  @Override public Map<String, Path> dirsByController() { return Map.copyOf(dirs); }

  @Override
  public Path primaryDir() {
    return dirs.containsKey("memory") ? dirs.get("memory") : dirs.values().iterator().next();
  }

  private Path dir(String controller) {
    Path m = mounts.get(controller);
    return m == null ? null : m.resolve(rel.substring(1));
  }

  /** "/sys/fs/cgroup/{memory,cpu,...}/kubelab/ID" for the trace. */
  private String braced(String leaf) {
    StringJoiner j = new StringJoiner(",", "{", "}");
    Path base = null;
    for (Path d : dirs.values()) {
      Path mount = d;
      for (int i = 0; i < Path.of(rel).getNameCount(); i++) mount = mount.getParent();
      j.add(mount.getFileName().toString());
      base = mount.getParent();
    }
    return base + "/" + j + rel + (leaf == null ? "" : "/" + leaf);
  }

  @Override
  public void create(Trace trace) {
    trace.step("mkdir " + braced(null) + "   (cgroup v1: one directory per controller)");
    for (var e : dirs.entrySet()) {
      Path d = e.getValue();
      CgroupFiles.retryIfParentVanishes(d.getParent(), () -> {
        if (!Files.isDirectory(d.getParent())) initParent(e.getKey(), d.getParent());
        CgroupFiles.mkdir(d);
      });
    }
  }

  private void initParent(String controller, Path parent) {
    if (!Files.isDirectory(parent.getParent())) initParent(controller, parent.getParent());
    CgroupFiles.mkdir(parent);
    if (controller.equals("cpuset")) {
      Path root = parent.getParent();
      write(parent.resolve("cpuset.cpus"), CgroupFiles.readOr(root.resolve("cpuset.cpus"), "").trim());
      write(parent.resolve("cpuset.mems"), CgroupFiles.readOr(root.resolve("cpuset.mems"), "").trim());
      write(parent.resolve("cgroup.clone_children"), "1");
    }
    if (controller.equals("devices")) {
      write(parent.resolve("devices.deny"), "a");
      // Docker's default allow-list (moby oci/devices_linux.go, Docker 27)
      for (String rule : List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
          "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm")) {
        write(parent.resolve("devices.allow"), rule);
      }
    }
  }

  private static void write(Path f, String v) {
    CgroupFiles.write(f, v, Trace.NONE, null);
  }

  @Override
  public void attach(long pid, Trace trace) {
    trace.step("write " + braced("cgroup.procs") + " \"" + pid + "\"   (before the child may run: nothing escapes the limits)");
    for (Path d : dirs.values()) CgroupFiles.write(d.resolve("cgroup.procs"), Long.toString(pid), Trace.NONE, null);
  }

  @Override
  public String procsLabel() {
    return braced("cgroup.procs");
  }

  @Override
  public List<Path> procsFiles() {
    List<Path> l = new ArrayList<>();
    for (Path d : dirs.values()) l.add(d.resolve("cgroup.procs"));
    return l;
  }

  @Override
  public List<Write> plan(Resources r) {
    List<Write> w = new ArrayList<>();
    Path mem = dir("memory");
    if (r.memory() > 0 && mem != null) {
      w.add(new Write(mem.resolve("memory.limit_in_bytes"), Long.toString(r.memory()), "--memory"));
      long swap = r.memorySwap() == 0 ? 2 * r.memory() : r.memorySwap();
      Path memsw = mem.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(memsw)) w.add(new Write(memsw, Long.toString(swap), "--memory-swap"));
    }
    Path cpu = dir("cpu");
    if (r.cpuQuotaUs() > 0 && cpu != null) {
      w.add(new Write(cpu.resolve("cpu.cfs_period_us"), Long.toString(Params.CPU_PERIOD_US), "--cpus"));
      w.add(new Write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(r.cpuQuotaUs()), "--cpus"));
    }
    if (r.cpuShares() > 0 && cpu != null)
      w.add(new Write(cpu.resolve("cpu.shares"), Long.toString(r.cpuShares()), "--cpu-shares"));
    Path cs = dir("cpuset");
    if (r.cpusetCpus() != null && cs != null) w.add(new Write(cs.resolve("cpuset.cpus"), r.cpusetCpus(), "--cpuset-cpus"));
    if (r.cpusetMems() != null && cs != null) w.add(new Write(cs.resolve("cpuset.mems"), r.cpusetMems(), "--cpuset-mems"));
    Path pids = dir("pids");
    if (r.pidsLimit() != 0 && pids != null)
      w.add(new Write(pids.resolve("pids.max"), r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()), "--pids-limit"));
    return w;
  }

  @Override
  public void freeze(boolean frozen) {
    Path f = dir("freezer");
    if (f == null) throw new kubelab.container.ContainerException("this kernel has no freezer cgroup: pause is not available");
    CgroupFiles.write(f.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED", Trace.NONE, null);
    if (frozen) {
      for (int i = 0; i < 1000 && !CgroupFiles.readOr(f.resolve("freezer.state"), "").trim().equals("FROZEN"); i++) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void killAll() {
    Path procs = null;
    for (Path d : new java.util.LinkedHashSet<>(dirs.values())) {
      if (!CgroupFiles.pids(d.resolve("cgroup.procs")).isEmpty()) procs = d.resolve("cgroup.procs");
    }
    if (procs == null) return;
    boolean froze = false;
    try {
      freeze(true);
      froze = true;
    } catch (RuntimeException e) {
      // no freezer: kill without it (a forking task might slip through; the loop below retries)
    }
    for (int round = 0; round < 5 && !CgroupFiles.pids(procs).isEmpty(); round++) {
      for (long pid : CgroupFiles.pids(procs)) kubelab.container.sys.Signals.kill(pid, kubelab.container.sys.Signals.SIGKILL);
      if (froze && round == 0) {
        try {
          freeze(false);
        } catch (RuntimeException e) {
          // gone
        }
      }
      CgroupFiles.awaitEmpty(procs);
    }
  }

  @Override
  public boolean frozen() {
    Path f = dir("freezer");
    return f != null && CgroupFiles.readOr(f.resolve("freezer.state"), "").trim().equals("FROZEN");
  }

  @Override public Path oomFile() { Path m = dir("memory"); return m == null ? null : m.resolve("memory.oom_control"); }
  @Override public String oomKey() { return "oom_kill"; }

  @Override
  public boolean oomKilled() {
    Path f = oomFile();
    return f != null && CgroupFiles.counterAboveZero(f, "oom_kill");
  }

  @Override
  public Map<String, String> liveValues() {
    Map<String, String> m = new LinkedHashMap<>();
    String[][] files = {
        {"memory", "memory.limit_in_bytes"}, {"memory", "memory.memsw.limit_in_bytes"}, {"memory", "memory.usage_in_bytes"},
        {"memory", "memory.max_usage_in_bytes"}, {"memory", "memory.failcnt"}, {"memory", "memory.oom_control"},
        {"cpu", "cpu.cfs_period_us"}, {"cpu", "cpu.cfs_quota_us"}, {"cpu", "cpu.shares"}, {"cpu", "cpu.stat"},
        {"cpuacct", "cpuacct.usage"}, {"cpuset", "cpuset.cpus"}, {"cpuset", "cpuset.mems"},
        {"pids", "pids.max"}, {"pids", "pids.current"}, {"freezer", "freezer.state"}};
    for (String[] f : files) {
      Path d = dir(f[0]);
      if (d == null) continue;
      Path p = d.resolve(f[1]);
      if (Files.exists(p)) m.put(f[1], CgroupFiles.readOr(p, "").trim().replace("\n", ", "));
    }
    return m;
  }

  @Override
  public boolean exists() {
    for (Path d : dirs.values()) if (Files.isDirectory(d)) return true;
    return false;
  }

  @Override
  public void destroy() {
    for (Path d : new LinkedHashSet<>(dirs.values())) CgroupFiles.rmdir(d);
  }
}
