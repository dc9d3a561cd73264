package kubelab.container.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.Resources;
import kubelab.container.state.StateStore;
import org.junit.jupiter.api.Test;

/**
 * Docker's flags become the right files and values on both cgroup versions. This host may have
 * only one of them, so the plans are checked on a directory laid out like each (the kernel is
 * exercised by LimitsTest on the host's own version).
 */
class CgroupPlanTest {

  private static Map<String, String> asMap(List<Cgroup.Write> plan, Path root) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Cgroup.Write w : plan) m.put(root.relativize(w.file()).toString(), w.value());
    return m;
  }

  @Test
  void v2UsesMemoryMaxSwapOnlyCpuMaxAndWeight() throws Exception {
    Path root = Files.createTempDirectory("cg2");
    try {
      Path dir = Files.createDirectories(root.resolve("kubelab/c1"));
      Files.createFile(dir.resolve("memory.swap.max"));
      CgroupV2 cg = new CgroupV2(root, "/kubelab/c1");
      Map<String, String> m = asMap(cg.plan(new Resources(32L << 20, 64L << 20, 150_000, 512, "0-1", null, 20)), root);
      assertEquals(Map.of(
          "kubelab/c1/memory.max", "33554432",
          "kubelab/c1/memory.swap.max", "33554432",   // v2 counts swap alone: 64m total - 32m memory
          "kubelab/c1/cpu.max", "150000 100000",
          "kubelab/c1/cpu.weight", "20",               // runc's conversion of 512 shares
          "kubelab/c1/cpuset.cpus", "0-1",
          "kubelab/c1/pids.max", "20"), m);
    } finally {
      StateStore.deleteTree(root);
    }
  }

  @Test
  void v1UsesOneHierarchyPerControllerAndMemoryPlusSwap() throws Exception {
    Path root = Files.createTempDirectory("cg1");
    try {
      Map<String, Path> mounts = new LinkedHashMap<>();
      for (String c : List.of("memory", "cpu", "cpuset", "pids")) {
        mounts.put(c, Files.createDirectories(root.resolve(c)));
        Files.createDirectories(root.resolve(c).resolve("kubelab/c1"));
      }
      Files.createFile(root.resolve("memory/kubelab/c1/memory.memsw.limit_in_bytes"));
      CgroupV1 cg = new CgroupV1(mounts, "/kubelab/c1");
      Map<String, String> m = asMap(cg.plan(new Resources(32L << 20, 0, 50_000, 0, "1", null, -1)), root);
      assertEquals(Map.of(
          "memory/kubelab/c1/memory.limit_in_bytes", "33554432",
          "memory/kubelab/c1/memory.memsw.limit_in_bytes", "67108864", // Docker: swap unset = twice the memory
          "cpu/kubelab/c1/cpu.cfs_period_us", "100000",
          "cpu/kubelab/c1/cpu.cfs_quota_us", "50000",
          "cpuset/kubelab/c1/cpuset.cpus", "1",
          "pids/kubelab/c1/pids.max", "max"), m);
      assertEquals(root.resolve("{memory,cpu,cpuset,pids}/kubelab/c1/cgroup.procs").toString(), cg.procsLabel());
    } finally {
      StateStore.deleteTree(root);
    }
  }
}
