package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import kubelab.container.image.ImageConfig;
import kubelab.container.state.ContainerRecord;
import kubelab.container.sys.Signals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HEALTHCHECK as Docker runs it (curriculum df.healthcheck): the supervisor probes the container
 * every interval; retries consecutive failures make it unhealthy, a success healthy; a probe past
 * its timeout is killed; failures in the start period do not count; no probe outlives the
 * container or its supervisor.
 */
class HealthcheckTest {
  static RuntimeFixture fx;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  private static final long MS = 1_000_000L;

  private static ContainerRecord detached(String probe, long intervalMs, long timeoutMs, long startMs, int retries) {
    ContainerSpec spec = ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("sleep", "1000")
        .healthcheck(new ImageConfig.Healthcheck(List.of("CMD-SHELL", probe), intervalMs * MS, timeoutMs * MS, startMs * MS, retries))
        .build();
    return fx.rt.run(spec, Trace.NONE, null);
  }

  /** Polls State.Health until {@code done} holds (10 s at most); returns the last one seen. */
  private static Health awaitHealth(ContainerRecord c, Predicate<Health> done) throws InterruptedException {
    Health h = fx.rt.health(c);
    for (int i = 0; i < 500 && !done.test(h); i++) {
      Thread.sleep(20);
      h = fx.rt.health(c);
    }
    return h;
  }

  @Test
  void retriesConsecutiveFailuresMakeItUnhealthy_dfHealthcheck() throws Exception {
    long t0 = System.nanoTime();
    ContainerRecord c = detached("false", 300, 5000, 0, 2);
    assertEquals(Health.STARTING, fx.rt.health(c).status(), "starting before the first probe");
    Health h = awaitHealth(c, x -> x.status().equals(Health.UNHEALTHY));
    long elapsedMs = (System.nanoTime() - t0) / MS;
    assertEquals(Health.UNHEALTHY, h.status(), h.toString());
    assertTrue(elapsedMs >= 600, "two failures need two intervals, it took " + elapsedMs + " ms");
    assertTrue(h.failingStreak() >= 2, h.toString());
    for (Map<String, Object> e : h.log()) assertEquals(1, ((Number) e.get("ExitCode")).intValue(), h.toString());
    assertEquals("running", fx.rt.state(c.id).status(), "Docker does not stop an unhealthy container");
  }

  @Test
  void aSuccessIsHealthyAndTheOutputIsLogged() throws Exception {
    ContainerRecord c = detached("echo ok; cat /etc/hostname", 200, 5000, 0, 3);
    Health h = awaitHealth(c, x -> x.status().equals(Health.HEALTHY));
    assertEquals(Health.HEALTHY, h.status());
    assertEquals(0, h.failingStreak());
    Map<String, Object> last = h.log().get(h.log().size() - 1);
    assertEquals(0, ((Number) last.get("ExitCode")).intValue());
    assertEquals("ok\n" + c.hostname + "\n", last.get("Output"), "the probe runs inside the container");
    assertTrue(((String) last.get("Start")).compareTo((String) last.get("End")) <= 0, last.toString());
  }

  @Test
  void theLogKeepsTheLastFiveProbes() throws Exception {
    ContainerRecord c = detached("true", 50, 5000, 0, 3);
    Health h = awaitHealth(c, x -> x.log().size() == 5);
    Thread.sleep(300); // several more probes
    h = fx.rt.health(c);
    assertEquals(5, h.log().size(), h.toString());
  }

  @Test
  void aProbeBeyondItsTimeoutIsKilledAndFails() throws Exception {
    ContainerRecord c = detached("sleep 30", 100, 300, 0, 1);
    Health h = awaitHealth(c, x -> x.status().equals(Health.UNHEALTHY));
    Map<String, Object> e = h.log().get(0);
    assertEquals(-1, ((Number) e.get("ExitCode")).intValue());
    assertEquals("Health check exceeded timeout (300ms)", e.get("Output"));
    // the killed probe left nothing in the container: its cgroup holds PID 1 (sleep 1000) and at
    // most one newer probe
    for (int i = 0; i < 100 && procsIn(c).size() > 1; i++) Thread.sleep(5);
    assertTrue(procsIn(c).size() <= 3, "killed probes linger: " + procsIn(c));
    assertTrue(commandsLike("sleep\u000030").size() <= 1, "at most the current probe runs: " + commandsLike("sleep\u000030"));
  }

  @Test
  void failuresInTheStartPeriodDoNotCount() throws Exception {
    ContainerRecord c = detached("false", 100, 5000, 60_000, 1);
    Health h = awaitHealth(c, x -> x.log().size() >= 3);
    assertTrue(h.log().size() >= 3, h.toString());
    assertEquals(Health.STARTING, h.status(), h.toString());
    assertEquals(0, h.failingStreak());
  }

  @Test
  void noProbeOutlivesTheContainerOrItsSupervisor() throws Exception {
    for (boolean killSupervisor : new boolean[] {false, true}) {
      String marker = killSupervisor ? "7.31" : "7.32";
      ContainerRecord c = detached("sleep " + marker, 50, 30_000, 0, 3);
      for (int i = 0; i < 500 && commandsLike("sleep\u0000" + marker).isEmpty(); i++) Thread.sleep(10);
      assertEquals(1, commandsLike("sleep\u0000" + marker).size(), "the probe runs");
      if (killSupervisor) Signals.kill(c.shimPid, Signals.SIGKILL);
      else fx.rt.stop(c.id, Duration.ofSeconds(1));
      fx.rt.waitFor(c.id, Duration.ofSeconds(10));
      List<String> left = List.of();
      for (int i = 0; i < 250; i++) {
        left = commandsLike("sleep\u0000" + marker);
        if (left.isEmpty()) break;
        Thread.sleep(20);
      }
      assertEquals(List.of(), left, killSupervisor ? "after SIGKILL of the supervisor" : "after stop");
      assertEquals(List.of(), childrenOf(c.shimPid), "the supervisor's probe processes");
      fx.rt.remove(c.id, true);
    }
  }

  @Test
  void healthcheckNoneAndNoHealthcheckRunNothing() throws Exception {
    ContainerRecord none = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("sleep", "1000")
        .healthcheck(new ImageConfig.Healthcheck(List.of("NONE"), 0, 0, 0, 0)).build(), Trace.NONE, null);
    ContainerRecord off = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("sleep", "1000")
        .healthcheck(new ImageConfig.Healthcheck(List.of("CMD-SHELL", "false"), 50 * MS, 0, 0, 1)).noHealthcheck(true).build(),
        Trace.NONE, null);
    Thread.sleep(300);
    for (ContainerRecord c : List.of(none, off)) {
      assertNull(fx.rt.health(c));
      assertTrue(Files.notExists(fx.rt.store().dir(c.id).resolve(Health.FILE)));
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) Inspect.of(fx.rt, fx.rt.get(c.id)).get("State");
      assertTrue(!state.containsKey("Health"), state.toString());
    }
  }

  private static List<String> procsIn(ContainerRecord c) throws Exception {
    Path procs = fx.rt.cgroup(c).procsFiles().get(0);
    return Files.readAllLines(procs).stream().filter(s -> !s.isBlank()).toList();
  }

  /** Pids whose command line starts with {@code prefix} (arguments separated by NUL). */
  private static List<String> commandsLike(String prefix) throws Exception {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) continue;
        try {
          if (new String(Files.readAllBytes(p.resolve("cmdline"))).startsWith(prefix)) out.add(p.getFileName().toString());
        } catch (java.io.IOException e) {
          // gone
        }
      }
    }
    return out;
  }

  private static List<String> childrenOf(long pid) throws Exception {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) continue;
        try {
          for (String l : Files.readAllLines(p.resolve("status")))
            if (l.startsWith("PPid:") && l.substring(5).trim().equals(Long.toString(pid))) out.add(p.getFileName().toString());
        } catch (java.io.IOException e) {
          // gone
        }
      }
    }
    return out;
  }
}
