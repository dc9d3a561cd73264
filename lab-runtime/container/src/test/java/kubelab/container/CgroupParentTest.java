package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kubelab.container.cgroups.CgroupDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parent cgroup (kubelab/ in every hierarchy) is made with the first container under it and,
 * like the lab0 bridge, collected by GC once no container is left under it.
 */
class CgroupParentTest {
  RuntimeFixture fx;
  String parent;

  @BeforeEach
  void open() throws Exception {
    parent = "kubelab-parent-test-" + ProcessHandle.current().pid();
    fx = RuntimeFixture.open(parent);
  }

  @AfterEach
  void close() {
    if (fx != null) fx.close();
  }

  private List<Path> parentDirs(String containerId) {
    return CgroupDriver.detect().forContainer(parent, containerId).dirsByController().values().stream()
        .map(Path::getParent).distinct().toList();
  }

  @Test
  void gcKeepsTheParentWhileAContainerRunsAndRemovesItAfterTheLast() {
    var c = fx.rt.create(ContainerSpec.builder("busybox").name("p").network(NetworkMode.NONE).command("sleep", "1000").build());
    fx.rt.start(c.id, Trace.NONE, null);
    List<Path> dirs = parentDirs(c.id);
    assertFalse(dirs.isEmpty());
    fx.rt.gc();
    for (Path d : dirs) assertTrue(Files.isDirectory(d), "a running container keeps " + d);
    fx.rt.remove(c.id, true);
    fx.rt.gc();
    for (Path d : dirs) assertFalse(Files.exists(d), "no container left under " + d);

    // The next container makes the parent again, configured (cpuset, devices) as the first time.
    var again = fx.rt.create(ContainerSpec.builder("busybox").name("q").network(NetworkMode.NONE).command("true").build());
    fx.rt.start(again.id, Trace.NONE, null);
    for (Path d : dirs) assertTrue(Files.isDirectory(d), d + " made again");
    org.junit.jupiter.api.Assertions.assertEquals(0, fx.rt.waitFor(again.id, java.time.Duration.ofSeconds(30)).exitCode());
  }
}
