package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kubelab.container.cgroups.Cgroup;
import kubelab.container.cgroups.CgroupDriver;
import kubelab.container.state.ContainerRecord;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 code paths, run for real. On a v2 host that is simply the host's tree; on a
 * hybrid host (cgroup v1 controllers plus a controller-less cgroup2 mount at
 * /sys/fs/cgroup/unified, like this project's CI machines) the containers' cgroups go into that
 * cgroup2 mount: v2's core needs no controller, so creating, joining (cgroup.procs), freezing
 * (cgroup.freeze, cgroup.events), killing (cgroup.kill) and removing work there as on any v2
 * host. What needs controllers (memory.max, cpu.max, pids.max, memory.events' oom_kill) cannot
 * run on such a host: the limits test checks that the refusal says which file is missing.
 */
class CgroupV2OnHybridHostTest {
  static final String PARENT = "kubelab-v2test";
  static RuntimeFixture fx;
  static Path v2root;
  static boolean hybrid;

  @BeforeAll
  static void open() throws Exception {
    Requires.root();
    CgroupDriver host = CgroupDriver.detect();
    CgroupDriver driver;
    if (host.version().equals("v2")) {
      driver = host;
      v2root = host.v2Root();
    } else {
      v2root = CgroupDriver.hybridUnifiedMount();
      Requires.that(v2root != null, "needs a cgroup2 mount (a v2 host, or a hybrid one with /sys/fs/cgroup/unified)");
      Requires.that(Files.exists(v2root.resolve("cgroup.procs")), "the cgroup2 mount " + v2root + " is not writable here");
      driver = CgroupDriver.unified(v2root);
      hybrid = true;
    }
    fx = RuntimeFixture.open(PARENT, driver);
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  private static ContainerRecord detached(String... cmd) {
    return fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).command(List.of(cmd)).build(), Trace.NONE, null);
  }

  private static Path dir(ContainerRecord c) {
    return v2root.resolve(PARENT).resolve(c.id);
  }

  @Test
  void theContainerLivesInItsV2CgroupWhichGoesWithIt() throws Exception {
    ContainerRecord c = detached("sleep", "1000");
    assertTrue(Files.readString(Path.of("/proc/" + c.pid + "/cgroup")).contains("0::/" + PARENT + "/" + c.id + "\n"));
    assertEquals(List.of(Long.toString(c.pid)), Files.readAllLines(dir(c).resolve("cgroup.procs")));
    var inspect = Inspect.of(fx.rt, fx.rt.get(c.id));
    assertEquals("v2", inspect.get("CgroupVersion"));
    assertEquals(dir(c).toString(), inspect.get("CgroupPath"));
    fx.rt.stop(c.id, Duration.ofMillis(200));
    assertFalse(Files.exists(dir(c)), "the supervisor removed the v2 cgroup when the container ended");
    fx.rt.remove(c.id, false);
  }

  @Test
  void pauseFreezesThroughCgroupFreeze() throws Exception {
    ContainerRecord c = detached("sh", "-c", "while :; do echo -n . >> /tmp/n; done"); // the file's size counts
    Path counter = Path.of("/proc/" + c.pid + "/root/tmp/n");
    for (int i = 0; i < 200 && !Files.exists(counter); i++) Thread.sleep(5);
    fx.rt.pause(c.id, true);
    assertEquals("1", Files.readString(dir(c).resolve("cgroup.freeze")).trim());
    assertTrue(Files.readString(dir(c).resolve("cgroup.events")).contains("frozen 1"));
    assertEquals("paused", fx.rt.state(c.id).status());
    long a = Files.size(counter);
    Thread.sleep(300);
    assertEquals(a, Files.size(counter), "a frozen task does not run");
    fx.rt.pause(c.id, false);
    assertTrue(Files.readString(dir(c).resolve("cgroup.events")).contains("frozen 0"));
    for (int i = 0; i < 100 && Files.size(counter) == a; i++) Thread.sleep(10);
    assertTrue(Files.size(counter) > a, "thawed, it counts again");
  }

  @Test
  void execJoinsTheV2Cgroup() {
    ContainerRecord c = detached("sleep", "1000");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = fx.rt.exec(c.id, new ExecSpec(List.of("cat", "/proc/self/cgroup"), List.of(), null, null, false),
        new Attach(null, out, new ByteArrayOutputStream()), Trace.NONE);
    assertEquals(0, code);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("0::/" + PARENT + "/" + c.id + "\n"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cgroupKillEndsEveryProcessOfTheContainer() throws Exception {
    ContainerRecord c = detached("sh", "-c", "sleep 1000 & sleep 1000 & sleep 1000 & wait");
    Cgroup cg = fx.rt.cgroup(c);
    for (int i = 0; i < 200 && Files.readAllLines(dir(c).resolve("cgroup.procs")).size() < 4; i++) Thread.sleep(5);
    assertEquals(4, Files.readAllLines(dir(c).resolve("cgroup.procs")).size());
    cg.killAll();
    Path procs = dir(c).resolve("cgroup.procs");
    assertTrue(!Files.exists(procs) || Files.readAllLines(procs).isEmpty(), "every process is gone");
    assertEquals(137, fx.rt.waitFor(c.id, Duration.ofSeconds(10)).exitCode());
  }

  @Test
  void aLimitWithoutItsControllerIsRefusedByName() {
    if (!hybrid) return; // on a v2 host the controllers are there: LimitsTest covers the limits
    var spec = ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("true")
        .resources(new Resources(32L << 20, 0, 0, 0, null, null, 0)).build();
    ContainerRecord c = fx.rt.create(spec);
    ContainerException e = assertThrows(ContainerException.class, () -> fx.rt.start(c.id, Trace.NONE, null));
    assertTrue(e.getMessage().contains("memory.max") && e.getMessage().contains("controller missing"), e.getMessage());
    assertFalse(Files.exists(dir(c)), "a failed start leaves no cgroup");
  }

  @Test
  void removedContainersLeaveNoV2Cgroup() throws Exception {
    for (int i = 0; i < 5; i++) fx.rt.remove(detached("sleep", "1000").id, true);
    try (var s = Files.list(v2root.resolve(PARENT))) {
      assertEquals(List.of(), s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList());
    }
  }
}
