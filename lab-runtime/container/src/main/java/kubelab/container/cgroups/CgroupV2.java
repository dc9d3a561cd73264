package kubelab.container.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.Params;
import kubelab.container.Resources;
import kubelab.container.Trace;

/**
 * A container's cgroup on cgroup v2: one directory in the unified tree.
 *
 * <p>File names are v2's: memory.max, memory.swap.max (swap only, not memory+swap as on v1),
 * cpu.max ("quota period"), cpu.weight (1..10000; converted from v1 shares with the formula runc
 * uses), cpuset.cpus, pids.max, cgroup.freeze, and memory.events' oom_kill counter. The parent
 * ({@code /kubelab}) gets the controllers enabled in its cgroup.subtree_control once.
 */
final class CgroupV2 implements Cgroup {
  private final Path root;
  private final String rel;
  private final Path dir;

  CgroupV2(Path root, String rel) {
    this.root = root;
    this.rel = rel;
    this.dir = root.resolve(rel.substring(1));
  }

  @Override public String version() { return "v2"; }
  @Override public String relativePath() { return rel; }
  @Override public List<Path> dirs() { return List.of(dir); }
  @Override public Path primaryDir() { return dir; }
  @Override public Map<String, Path> dirsByController() { return Map.of("unified", dir); }

  @Override
  public void create(Trace trace) {
    Path parent = dir.getParent();
    trace.step("mkdir " + dir + "   (cgroup v2: one directory in the unified tree)");
    CgroupFiles.retryIfParentVanishes(parent, () -> {
      if (!Files.isDirectory(parent)) {
        // enable the controllers on every level from the root down to the parent
        Path p = root;
        for (Path part : root.relativize(parent)) {
          enableControllers(p);
          p = p.resolve(part);
          CgroupFiles.mkdir(p);
        }
      }
      enableControllers(parent);
      CgroupFiles.mkdir(dir);
    });
  }

  private static void enableControllers(Path p) {
    String available = CgroupFiles.readOr(p.resolve("cgroup.controllers"), "");
    StringBuilder sb = new StringBuilder();
    for (String c : List.of("cpu", "cpuset", "memory", "pids", "io")) {
      if ((" " + available.trim() + " ").contains(" " + c + " ")) sb.append(sb.length() == 0 ? "" : " ").append('+').append(c);
    }
    if (sb.length() > 0) {
      try {
        CgroupFiles.write(p.resolve("cgroup.subtree_control"), sb.toString(), Trace.NONE, null);
      } catch (RuntimeException e) {
        // a controller may be busy in a threaded subtree; the limits that need it will say so
      }
    }
  }

  @Override
  public void attach(long pid, Trace trace) {
    CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid), trace, null);
  }

  @Override
  public String procsLabel() {
    return dir.resolve("cgroup.procs").toString();
  }

  @Override
  public List<Path> procsFiles() {
    return List.of(dir.resolve("cgroup.procs"));
  }

  @Override
  public List<Write> plan(Resources r) {
    List<Write> w = new ArrayList<>();
    if (r.memory() > 0) {
      w.add(new Write(dir.resolve("memory.max"), Long.toString(r.memory()), "--memory"));
      long total = r.memorySwap() == 0 ? 2 * r.memory() : r.memorySwap();
      Path swap = dir.resolve("memory.swap.max");
      if (Files.exists(swap)) w.add(new Write(swap, total < 0 ? "max" : Long.toString(Math.max(0, total - r.memory())), "--memory-swap"));
    }
    if (r.cpuQuotaUs() > 0) w.add(new Write(dir.resolve("cpu.max"), r.cpuQuotaUs() + " " + Params.CPU_PERIOD_US, "--cpus"));
    if (r.cpuShares() > 0) {
      long weight = 1 + ((Math.max(2, Math.min(262144, r.cpuShares())) - 2) * 9999) / 262142;
      w.add(new Write(dir.resolve("cpu.weight"), Long.toString(weight), "--cpu-shares"));
    }
    if (r.cpusetCpus() != null) w.add(new Write(dir.resolve("cpuset.cpus"), r.cpusetCpus(), "--cpuset-cpus"));
    if (r.cpusetMems() != null) w.add(new Write(dir.resolve("cpuset.mems"), r.cpusetMems(), "--cpuset-mems"));
    if (r.pidsLimit() != 0) w.add(new Write(dir.resolve("pids.max"), r.pidsLimit() < 0 ? "max" : Long.toString(r.pidsLimit()), "--pids-limit"));
    return w;
  }

  @Override
  public void freeze(boolean frozen) {
    CgroupFiles.write(dir.resolve("cgroup.freeze"), frozen ? "1" : "0", Trace.NONE, null);
    if (frozen) {
      for (int i = 0; i < 1000 && !CgroupFiles.counterAboveZero(dir.resolve("cgroup.events"), "frozen"); i++) {
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
    Path procs = dir.resolve("cgroup.procs");
    if (CgroupFiles.pids(procs).isEmpty()) return;
    Path kill = dir.resolve("cgroup.kill");
    if (Files.exists(kill)) {
      CgroupFiles.write(kill, "1", Trace.NONE, null);
    } else { // before Linux 5.14: freeze, signal each, thaw
      freeze(true);
      for (long pid : CgroupFiles.pids(procs)) kubelab.container.sys.Signals.kill(pid, kubelab.container.sys.Signals.SIGKILL);
      freeze(false);
    }
    CgroupFiles.awaitEmpty(procs);
  }

  @Override
  public boolean frozen() {
    return CgroupFiles.readOr(dir.resolve("cgroup.freeze"), "0").trim().equals("1");
  }

  @Override public Path oomFile() { return dir.resolve("memory.events"); }
  @Override public String oomKey() { return "oom_kill"; }

  @Override
  public boolean oomKilled() {
    return CgroupFiles.counterAboveZero(oomFile(), "oom_kill");
  }

  @Override
  public Map<String, String> liveValues() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : List.of("memory.max", "memory.swap.max", "memory.current", "memory.peak", "memory.events",
        "cpu.max", "cpu.weight", "cpu.stat", "cpuset.cpus", "cpuset.mems", "pids.max", "pids.current", "cgroup.freeze",
        "cgroup.events")) {
      Path p = dir.resolve(f);
      if (Files.exists(p)) m.put(f, CgroupFiles.readOr(p, "").trim().replace("\n", ", "));
    }
    return m;
  }

  @Override
  public boolean exists() {
    return Files.isDirectory(dir);
  }

  @Override
  public void destroy() {
    CgroupFiles.rmdir(dir);
  }
}
