package kubelab.container.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubelab.container.Trace;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;

/**
 * {@link CgroupV2}'s core operations on plain host processes (no container): attach, freeze,
 * cgroup.kill (which reaches processes in any pid namespace, not only a container's), destroy.
 * Runs on a v2 host's tree or on a hybrid host's controller-less cgroup2 mount.
 */
class CgroupV2CoreTest {
  @Test
  void attachFreezeKillAndRemoveHostProcesses() throws Exception {
    Requires.root();
    CgroupDriver host = CgroupDriver.detect();
    Path mount = host.version().equals("v2") ? host.v2Root() : CgroupDriver.hybridUnifiedMount();
    Requires.that(mount != null, "needs a cgroup2 mount (a v2 host, or a hybrid one with /sys/fs/cgroup/unified)");
    CgroupV2 cg = new CgroupV2(mount, "/kubelab-v2coretest/" + ProcessHandle.current().pid());
    List<Process> ps = new ArrayList<>();
    try {
      cg.create(Trace.NONE);
      for (int i = 0; i < 3; i++) {
        Process p = new ProcessBuilder("sleep", "1000").start();
        ps.add(p);
        cg.attach(p.pid(), Trace.NONE);
      }
      assertEquals(3, CgroupFiles.pids(cg.procsFiles().get(0)).size());
      cg.freeze(true);
      assertTrue(cg.frozen());
      assertTrue(Files.readString(cg.primaryDir().resolve("cgroup.events")).contains("frozen 1"));
      assertTrue(cg.liveValues().containsKey("cpu.stat"), "cpu.stat is core in v2: " + cg.liveValues());
      cg.freeze(false);
      cg.killAll();
      for (Process p : ps) {
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "killed through cgroup.kill");
        assertEquals(137, p.exitValue(), "by SIGKILL");
      }
      assertEquals(List.of(), CgroupFiles.pids(cg.procsFiles().get(0)));
      cg.destroy();
      assertFalse(cg.exists());
    } finally {
      for (Process p : ps) p.destroyForcibly();
      cg.destroy();
      Files.deleteIfExists(mount.resolve("kubelab-v2coretest"));
    }
  }
}
