package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel enforces the limits: OOM kill, pids, cpu quota, cpuset, freezer. */
class LimitsTest {
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

  @Test
  void aMemoryHogIsOomKilledAndReportedLikeDocker() {
    var spec = ContainerSpec.builder("busybox").name("hog").network(NetworkMode.NONE)
        .resources(new Resources(32L << 20, 0, 0, 0, null, null, 0))
        .command("sh", "-c", "x=aaaaaaaa; while :; do x=$x$x; done").build();
    var c = fx.rt.create(spec);
    fx.rt.start(c.id, Trace.NONE, null);
    ExitStatus e = fx.rt.waitFor(c.id, Duration.ofSeconds(60));
    assertEquals(137, e.exitCode());
    assertTrue(e.oomKilled());
    ContainerState st = fx.rt.state("hog");
    assertEquals("exited", st.status());
    assertTrue(st.oomKilled());
    assertEquals("true", Inspect.path(Inspect.of(fx.rt, fx.rt.get("hog")), "State.OOMKilled"));
  }

  @Test
  void aForkLoopStopsAtThePidsLimit() {
    // echo is a shell builtin: the last number printed is the last fork the shell tried
    var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
        .resources(new Resources(0, 0, 0, 0, null, null, 20))
        .command("sh", "-c", "for i in $(seq 50); do echo $i; sleep 100 & done"));
    assertTrue(r.err().contains("can't fork: Resource temporarily unavailable"), r.err());
    int last = Integer.parseInt(r.out().lines().reduce((x, y) -> y).orElse("0").trim());
    assertTrue(last <= 20 && last >= 10, "forks before the limit: " + last);
  }

  @Test
  void aCpuQuotaThrottles() throws Exception {
    var c = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
        .resources(new Resources(0, 0, 20_000, 0, null, null, 0))
        .command("sh", "-c", "while :; do :; done").build(), Trace.NONE, null);
    Thread.sleep(600);
    var cg = fx.rt.cgroup(fx.rt.get(c.id));
    String stat = cg.liveValues().get("cpu.stat");
    fx.rt.remove(c.id, true);
    long throttled = 0;
    for (String kv : stat.split(", ")) if (kv.startsWith("nr_throttled ")) throttled = Long.parseLong(kv.substring(13));
    assertTrue(throttled > 0, "cpu.stat: " + stat);
  }

  @Test
  void cpusetPinsTheContainer() {
    String cpu = Runtime.getRuntime().availableProcessors() > 1 ? "1" : "0";
    var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
        .resources(new Resources(0, 0, 0, 0, cpu, null, 0)).command("grep", "Cpus_allowed_list", "/proc/self/status"));
    assertEquals("Cpus_allowed_list:\t" + cpu + "\n", r.out());
  }

  @Test
  void pauseFreezesAndUnpauseThaws() throws Exception {
    var c = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("sleep", "1000").build(), Trace.NONE, null);
    fx.rt.pause(c.id, true);
    assertEquals("paused", fx.rt.state(c.id).status());
    var cg = fx.rt.cgroup(fx.rt.get(c.id));
    assertTrue(cg.frozen());
    var file = cg.version().equals("v1") ? cg.dirsByController().get("freezer").resolve("freezer.state")
        : cg.primaryDir().resolve("cgroup.freeze");
    String state = Files.readString(file).trim();
    assertEquals(cg.version().equals("v1") ? "FROZEN" : "1", state);
    fx.rt.pause(c.id, false);
    assertEquals("running", fx.rt.state(c.id).status());
  }

  @Test
  void limitsAreWrittenToTheCgroupBeforeTheCommandRuns() {
    var out = new java.io.StringWriter();
    var c = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
        .resources(new Resources(32L << 20, 0, 50_000, 0, null, null, 20)).command("true").build(),
        new Trace(new java.io.PrintWriter(out)), null);
    fx.rt.waitFor(c.id, null);
    String t = out.toString();
    int clone = t.indexOf("clone(CLONE_NEW"), procs = t.indexOf("cgroup.procs"), mem = t.indexOf("memory.");
    int pivot = t.indexOf("pivot_root"), exec = t.indexOf("execve(");
    assertTrue(t.indexOf("mkdir /sys/fs/cgroup") < clone && clone < procs && procs < mem && mem < pivot && pivot < exec, t);
  }
}
