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
import kubelab.container.sys.Proc;
import kubelab.container.sys.Signals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** exec, logs, stop's grace period, states on disk, and errors that leave nothing behind. */
class LifecycleTest {
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

  private kubelab.container.state.ContainerRecord detached(String name, String... cmd) {
    return fx.rt.run(ContainerSpec.builder("busybox").name(name).network(NetworkMode.NONE).command(cmd).build(), Trace.NONE, null);
  }

  @Test
  void execJoinsTheContainersNamespaces() {
    var c = detached("ex", "sleep", "1000");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = fx.rt.exec("ex", ExecSpec.of("sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; exit 4"),
        new Attach(null, out, out), Trace.NONE);
    assertEquals(4, code);
    assertEquals(c.hostname + "\nsleep 1000 ", out.toString(StandardCharsets.UTF_8));
    long hostNet = Proc.nsInode(ProcessHandle.current().pid(), "net");
    ByteArrayOutputStream ns = new ByteArrayOutputStream();
    fx.rt.exec("ex", ExecSpec.of("readlink", "/proc/self/ns/net"), new Attach(null, ns, ns), Trace.NONE);
    assertEquals("net:[" + Proc.nsInode(c.pid, "net") + "]\n", ns.toString(StandardCharsets.UTF_8));
    assertTrue(Proc.nsInode(c.pid, "net") != hostNet);
  }

  @Test
  void execTraceShowsEverySetns() {
    detached("tr", "sleep", "1000");
    var t = new java.io.StringWriter();
    fx.rt.exec("tr", ExecSpec.of("true"), new Attach(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()),
        new Trace(new java.io.PrintWriter(t)));
    for (String ns : new String[] {"CLONE_NEWIPC", "CLONE_NEWUTS", "CLONE_NEWNET", "CLONE_NEWPID", "CLONE_NEWNS"})
      assertTrue(t.toString().contains("setns(") && t.toString().contains(ns), t.toString());
  }

  @Test
  void logsKeepStdoutAndStderrOfADetachedContainer() throws Exception {
    detached("lg", "sh", "-c", "echo out1; echo err1 >&2; echo out2");
    fx.rt.waitFor("lg", Duration.ofSeconds(30));
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    Logs.copy(fx.rt, "lg", out, err, -1, false, false);
    assertEquals("out1\nout2\n", out.toString(StandardCharsets.UTF_8));
    assertEquals("err1\n", err.toString(StandardCharsets.UTF_8));
    String raw = Files.readString(Path.of(fx.rt.get("lg").logPath));
    assertTrue(raw.lines().allMatch(l -> l.matches("\\S+Z (stdout|stderr) F .*")), raw);
  }

  @Test
  void followingLogsEndsWhenTheContainerExits() throws Exception {
    detached("fl", "sh", "-c", "echo a; sleep 0.3; echo b");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logs.copy(fx.rt, "fl", out, out, -1, false, true);
    assertEquals("a\nb\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void stopWaitsTheGracePeriodForAPid1ThatIgnoresSigterm() {
    detached("s", "sleep", "1000");
    long t0 = System.nanoTime();
    ExitStatus e = fx.rt.stop("s", Duration.ofSeconds(2));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(137, e.exitCode());
    assertTrue(ms >= 1900 && ms < 8000, "stop took " + ms + " ms");
    assertEquals("exited", fx.rt.state("s").status());
  }

  @Test
  void stopIsQuickWhenPid1HandlesSigterm() {
    detached("t", "sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done");
    sleepMs(200);
    long t0 = System.nanoTime();
    ExitStatus e = fx.rt.stop("t", Duration.ofSeconds(10));
    assertEquals(0, e.exitCode());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
  }

  @Test
  void aBackgroundedDaemonMakesTheContainerExitAtOnce() {
    detached("bg", "sh", "-c", "sleep 1000 &");
    ExitStatus e = fx.rt.waitFor("bg", Duration.ofSeconds(3));
    assertEquals(0, e.exitCode());
    assertEquals("exited", fx.rt.state("bg").status());
  }

  @Test
  void theStateIsTruthfulAfterTheSupervisorIsKilled() {
    var c = detached("sv", "sleep", "1000");
    assertTrue(Signals.kill(c.shimPid, Signals.SIGKILL));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (Proc.alive(c.pid, c.pidStart) && System.nanoTime() < deadline) sleepMs(10);
    assertFalse(Proc.alive(c.pid, c.pidStart), "the container outlived its supervisor");
    ContainerState st = fx.rt.state("sv");
    assertEquals("exited", st.status());
    assertEquals(137, st.exitCode());
    fx.rt.gc();
    assertFalse(fx.rt.cgroup(fx.rt.get("sv")).exists(), "gc left the cgroup of a dead container");
  }

  @Test
  void aNameInUseIsRefusedAndNothingIsLeftBehind() {
    detached("dup", "sleep", "1000");
    int before = fx.rt.store().ids().size();
    ContainerException e = assertThrows(ContainerException.class, () -> detached("dup", "true"));
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    assertEquals(before, fx.rt.store().ids().size());
  }

  @Test
  void aMissingCommandIsExit127WithNothingInTheKernel() {
    var c = fx.rt.create(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("no-such-command").build());
    ContainerException e = assertThrows(ContainerException.class, () -> fx.rt.start(c.id, Trace.NONE, null));
    assertEquals(127, e.exitCode());
    assertTrue(e.getMessage().contains("executable file not found"), e.getMessage());
    assertFalse(fx.rt.cgroup(fx.rt.get(c.id)).exists());
    assertEquals("created", fx.rt.state(c.id).status());
    assertFalse(Files.exists(Path.of("/sys/class/net", "vethlab" + c.id.substring(0, 8))));
  }

  @Test
  void anUnknownImageIsAnImageError() {
    assertThrows(RuntimeException.class, () -> fx.rt.create(ContainerSpec.builder("no-such-image:1").command("true").build()));
    assertEquals(0, fx.rt.store().ids().size());
  }

  @Test
  void aContainerCanJoinAnotherOnesNetworkNamespace() {
    var a = fx.rt.run(ContainerSpec.builder("busybox").name("a").network(NetworkMode.BRIDGE).command("sleep", "1000").build(), Trace.NONE, null);
    var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.container("a")).command("readlink", "/proc/self/ns/net"));
    assertEquals("net:[" + Proc.nsInode(a.pid, "net") + "]\n", r.out());
  }

  @Test
  void aSandboxsPauseProcessIsPid1AndReapsOrphansOfASharedPidNamespace() throws Exception {
    var sandbox = fx.rt.run(ContainerSpec.builder(null).name("pod").pause(true).network(NetworkMode.NONE).build(), Trace.NONE, null);
    assertEquals("/pause", Files.readString(Path.of("/proc/" + sandbox.pid + "/cmdline")).replace("\0", ""));
    // orphans of the app are re-parented to the namespace's PID 1: pause, which waits for them
    detachedIn(sandbox.id, "app", "sh", "-c", "(sleep 0.2 &); (sleep 0.2 &); exec sleep 1000");
    sleepMs(1200);
    ByteArrayOutputStream ps = new ByteArrayOutputStream();
    fx.rt.exec("app", ExecSpec.of("ps", "-o", "pid,stat,comm"), new Attach(null, ps, ps), Trace.NONE);
    String table = ps.toString(StandardCharsets.UTF_8);
    assertTrue(table.lines().anyMatch(l -> l.trim().startsWith("1 ") && l.contains("pause")), table);
    assertFalse(table.lines().anyMatch(l -> l.matches("\\s*\\d+\\s+Z.*")), "zombies left:\n" + table);
  }

  private static void detachedIn(String sandbox, String name, String... cmd) {
    fx.rt.run(ContainerSpec.builder("busybox").name(name).network(NetworkMode.container(sandbox))
        .joinPid(sandbox).joinIpc(sandbox).joinUts(sandbox).command(cmd).build(), Trace.NONE, null);
  }

  static void sleepMs(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
