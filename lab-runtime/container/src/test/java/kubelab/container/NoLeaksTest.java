package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import kubelab.container.state.ContainerRecord;
import kubelab.container.sys.Signals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After many create/start/kill/remove cycles, and after SIGKILL of the supervisor or of the
 * process creating containers, the host has the same mounts, cgroups, network namespaces, links
 * and no stray supervisor. The cycle count is {@code -Dkubelab.leak.cycles} (default 200, as
 * issue 2 asks).
 */
class NoLeaksTest {
  static RuntimeFixture fx;
  static HostSnapshot before;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open("kubelab-leaktest");
    // warm up once so the cgroup parents exist before the first snapshot, as they do after
    fx.run("true");
    before = HostSnapshot.take("kubelab-leaktest");
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  /** Every container id this test class made (veth names carry their first 8 hex digits). */
  static final java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static void assertNoLeaks() throws Exception {
    ids.addAll(fx.rt.store().ids());
    fx.rt.gc();
    List<String> d = List.of();
    // Network namespaces (and with them the veths) are torn down by a kernel worker, and a killed
    // process is reaped by whoever adopted it: give the kernel up to 5 s on a busy machine.
    for (int i = 0; i < 250; i++) {
      d = before.leaks(HostSnapshot.take("kubelab-leaktest"), ids);
      if (d.isEmpty()) break;
      Thread.sleep(20);
    }
    assertEquals(List.of(), d);
    List<String> left = new java.util.ArrayList<>();
    for (String id : fx.rt.store().ids()) {
      var r = fx.rt.store().read(id);
      try (var w = java.nio.file.Files.walk(fx.rt.store().dir(id))) {
        left.add(id + " " + (r == null ? "(no record)" : r.status + " " + fx.rt.state(r)) + " files "
            + w.map(p -> fx.rt.store().dir(id).relativize(p).toString()).toList());
      }
    }
    assertEquals(List.of(), left);
  }

  @Test
  void createStartKillRemoveCyclesLeaveNothing() throws Exception {
    int cycles = Integer.getInteger("kubelab.leak.cycles", 200);
    for (int i = 0; i < cycles; i++) {
      NetworkMode net = i % 2 == 0 ? NetworkMode.BRIDGE : NetworkMode.NONE;
      ContainerRecord c = fx.rt.create(ContainerSpec.builder("busybox").network(net)
          .resources(new Resources(64L << 20, 0, 50_000, 0, null, null, 50)).command("sleep", "1000").build());
      ids.add(c.id);
      fx.rt.start(c.id, Trace.NONE, null);
      fx.rt.kill(c.id, Signals.SIGKILL);
      fx.rt.waitFor(c.id, Duration.ofSeconds(10));
      fx.rt.remove(c.id, false);
    }
    assertNoLeaks();
  }

  @Test
  void killingTheSupervisorLeavesNothingAfterRemove() throws Exception {
    for (int i = 0; i < 10; i++) {
      ContainerRecord c = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("sleep", "1000").build(),
          Trace.NONE, null);
      ids.add(c.id);
      Signals.kill(c.shimPid, Signals.SIGKILL);
      fx.rt.waitFor(c.id, Duration.ofSeconds(10));
      assertEquals(137, fx.rt.state(c.id).exitCode());
      fx.rt.remove(c.id, false);
    }
    assertNoLeaks();
  }

  @Test
  void killingTheCreatingProcessMidCreateLeavesNothingAfterGc() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Random rnd = new Random(42);
    for (int i = 0; i < 8; i++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CreateLoop.class.getName(),
          fx.root.toString()).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
      Thread.sleep(400 + rnd.nextInt(400)); // JVM start-up, then somewhere inside a create/start
      p.destroyForcibly();
      p.waitFor();
    }
    ids.addAll(fx.rt.store().ids());
    for (ContainerRecord r : fx.rt.list(true)) fx.rt.remove(r.id, true);
    assertNoLeaks();
  }

  /** The victim: creates and starts containers until it is killed. */
  public static final class CreateLoop {
    public static void main(String[] args) {
      Path root = Path.of(args[0]);
      LinuxRuntime rt = new LinuxRuntime(root, TestImages.forRoot(root), "kubelab-leaktest");
      while (true) {
        rt.run(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("sleep", "1000").build(), Trace.NONE, null);
      }
    }
  }
}
