package kubelab.shell.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kubelab.container.state.StateStore;
import kubelab.shell.Main;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runtime's commands as a user types them: output, exit codes, one-line errors. */
class RuntimeCommandsTest {
  static Path root;

  record Out(int code, String out, String err) {}

  static Out lab(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = args[0];
    full[1] = "--root=" + root;
    System.arraycopy(args, 1, full, 2, args.length - 1);
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), full);
    return new Out(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void makeRoot() throws Exception {
    root = Files.createTempDirectory("kubelab-shell-test");
  }

  @AfterEach
  void removeAll() {
    if (!Requires.isRoot()) return;
    Out ids = lab("ps", "-a", "-q", "--no-trunc");
    for (String id : ids.out().split("\n")) if (!id.isBlank()) lab("rm", "-f", id.trim());
  }

  @AfterAll
  static void deleteRoot() {
    StateStore.deleteTree(root);
  }

  @Test
  void aMalformedMemoryLimitIsAOneLineErrorWithExitCode125() {
    Out o = lab("run", "--rm", "--memory", "12q", "busybox", "true");
    assertEquals(125, o.code());
    assertEquals("lab: invalid --memory value \"12q\": use a number with an optional unit b, k, m or g (for example 32m or 1g)\n", o.err());
    assertFalse(Files.exists(root.resolve("containers")) && root.resolve("containers").toFile().list().length > 0);
  }

  @Test
  void runPrintsTheOutputAndReturnsTheExitCode() {
    Requires.root();
    Out o = lab("run", "--rm", "--net", "none", "busybox", "sh", "-c", "echo hello; exit 3");
    assertEquals("hello\n", o.out());
    assertEquals(3, o.code(), o.err());
  }

  @Test
  void optionsAfterTheImageBelongToTheCommand() {
    Requires.root();
    Out o = lab("run", "--rm", "--net", "none", "busybox", "ls", "-d", "/etc");
    assertEquals("/etc\n", o.out(), o.err());
  }

  @Test
  void anUnknownImageAndAMissingCommandUseDockersExitCodes() {
    Requires.root();
    Out img = lab("run", "--rm", "no-such-image:1", "true");
    assertEquals(125, img.code());
    assertTrue(img.err().startsWith("lab: ") && img.err().lines().count() == 1, img.err());
    Out cmd = lab("run", "--rm", "--net", "none", "busybox", "no-such-command");
    assertEquals(127, cmd.code());
    assertTrue(cmd.err().contains("executable file not found in $PATH"), cmd.err());
    assertEquals("", lab("ps", "-a", "-q").out(), "--rm left a container behind");
  }

  @Test
  void aDaemonizingCommandShowsExitedZeroInPs() throws Exception {
    Requires.root();
    Out d = lab("run", "-d", "--name", "bg", "--net", "none", "busybox", "sh", "-c", "sleep 1000 &");
    assertEquals(0, d.code(), d.err());
    assertEquals(64, d.out().trim().length());
    Thread.sleep(500);
    Out ps = lab("ps", "-a");
    assertTrue(ps.out().lines().anyMatch(l -> l.contains("Exited (0)") && l.endsWith("bg")), ps.out());
    assertEquals("exited", lab("inspect", "bg", "-f", "State.Status").out().trim());
    assertEquals("0", lab("inspect", "bg", "-f", "{{.State.ExitCode}}").out().trim());
  }

  @Test
  void inspectExecLogsPauseStopAndRmOnADetachedContainer() {
    Requires.root();
    assertEquals(0, lab("run", "-d", "--name", "c1", "--net", "none", "busybox", "sh", "-c", "echo started; exec sleep 1000").code());
    String pid = lab("inspect", "c1", "-f", "State.Pid").out().trim();
    assertTrue(Long.parseLong(pid) > 1, pid);
    assertTrue(Files.isDirectory(Path.of(lab("inspect", "c1", "-f", "CgroupPath").out().trim())));
    Out json = lab("inspect", "c1");
    assertTrue(json.out().startsWith("[") && json.out().contains("\"OOMKilled\": false"), json.out());
    Out ex = lab("exec", "c1", "sh", "-c", "echo $$; exit 5");
    assertEquals(5, ex.code());
    assertFalse(ex.out().trim().equals("1"), "exec is not PID 1: " + ex.out());
    assertEquals("started\n", lab("logs", "c1").out());
    assertEquals(0, lab("pause", "c1").code());
    assertTrue(lab("ps").out().contains("(Paused)"));
    assertEquals(0, lab("unpause", "c1").code());
    Out rm = lab("rm", "c1");
    assertEquals(125, rm.code());
    assertTrue(rm.err().contains("lab rm -f c1"), rm.err());
    assertEquals(0, lab("stop", "-t", "1", "c1").code());
    assertEquals("137", lab("inspect", "c1", "-f", "State.ExitCode").out().trim());
    assertEquals(0, lab("rm", "c1").code());
    Out gone = lab("inspect", "c1");
    assertEquals(125, gone.code());
    assertEquals("lab: No such container: c1\n", gone.err());
  }

  @Test
  void theTraceNumbersEveryStepInOrder() {
    Requires.root();
    Out o = lab("run", "--trace", "--rm", "--net", "none", "--memory", "32m", "busybox", "true");
    List<String> steps = o.err().lines().filter(l -> l.startsWith("~> step")).toList();
    for (int i = 0; i < steps.size(); i++) assertTrue(steps.get(i).startsWith("~> step " + (i + 1) + " "), steps.get(i));
    String t = o.err();
    String memFile = t.contains("memory.max") ? "memory.max" : "memory.limit_in_bytes";
    String[] order = {"mkdir /sys/fs/cgroup", "clone(CLONE_NEW", "cgroup.procs", memFile + " \"33554432\"",
        "mount(\"kubelab\"", "pivot_root", "umount2", "sethostname", "execve("};
    int at = -1;
    for (String needle : order) {
      int i = t.indexOf(needle, at + 1);
      assertTrue(i > at, "\"" + needle + "\" missing or out of order in:\n" + t);
      at = i;
    }
  }

  @Test
  void usernsMapsRootToUid100000_curriculumNsUser() {
    Requires.root();
    Out o = lab("run", "--rm", "--userns", "--net", "none", "busybox", "cat", "/proc/self/uid_map");
    assertEquals(0, o.code(), o.err());
    assertEquals("0 100000 65536", o.out().trim().replaceAll("\\s+", " "));
    assertEquals("", lab("ps", "-a", "-q").out(), "--rm left a container behind");
  }

  @Test
  void anImageHealthcheckMakesItUnhealthyAfterAbout4Seconds_dfHealthcheck() throws Exception {
    Requires.root();
    Path ctx = Files.createTempDirectory("kubelab-hc-ctx");
    try {
      Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nHEALTHCHECK --interval=2s --retries=2 CMD false\nCMD [\"sleep\", \"1000\"]\n");
      StringWriter out = new StringWriter(), err = new StringWriter();
      assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
          "image", "build", "--root", root.toString(), "-t", "hc-false", ctx.toString()), err.toString());
      long t0 = System.nanoTime();
      assertEquals(0, lab("run", "-d", "--name", "hc", "--net", "none", "hc-false").code());
      assertEquals("starting", lab("inspect", "hc", "-f", "State.Health.Status").out().trim());
      String status = "";
      for (int i = 0; i < 300 && !status.equals("unhealthy"); i++) {
        Thread.sleep(50);
        status = lab("inspect", "hc", "-f", "State.Health.Status").out().trim();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals("unhealthy", status);
      assertTrue(seconds >= 3.9, "two probes 2 s apart, the first 2 s after the start: " + seconds + " s");
      assertTrue(lab("ps").out().lines().anyMatch(l -> l.contains("(unhealthy)") && l.endsWith("hc")), lab("ps").out());
      assertEquals("[\"CMD-SHELL\",\"false\"]", lab("inspect", "hc", "-f", "Config.Healthcheck.Test").out().trim());
      assertEquals(0, lab("run", "-d", "--name", "hc-off", "--net", "none", "--no-healthcheck", "hc-false").code());
      Out none = lab("inspect", "hc-off", "-f", "State.Health");
      assertEquals(125, none.code(), "no State.Health without a health check: " + none.out());
    } finally {
      StateStore.deleteTree(ctx);
    }
  }

  @Test
  void theFastPathParsesRunExactlyAsPicocliDoes() {
    String[][] cases = {
        {"run", "--rm", "busybox", "echo", "hi"},
        {"run", "-d", "--name", "x", "-e", "A=1", "--env=B=2", "-v", "/tmp:/data:ro", "--memory", "32m", "busybox", "sh", "-c", "exit 1"},
        {"run", "-it", "--net", "none", "--cpus", "0.5", "--cpuset-cpus", "0", "--pids-limit", "20", "busybox"},
        {"run", "--read-only", "-u", "1000:1000", "-w", "/tmp", "-h", "web", "--entrypoint", "sh", "busybox", "-c", "id"},
        {"run", "--rm", "busybox", "ls", "-l", "--rm"},
        {"run", "--rm", "--userns", "busybox", "cat", "/proc/self/uid_map"},
        {"run", "-d", "--health-cmd", "wget -q -O- localhost", "--health-interval=2s", "--health-retries", "2",
            "--health-timeout", "1s", "--health-start-period", "500ms", "busybox"},
        {"run", "-d", "--no-healthcheck", "busybox"},
    };
    for (String[] c : cases) {
      RunCommand fast = RunFastPath.parse(c);
      assertNotNull(fast, String.join(" ", c));
      RunCommand slow = new RunCommand();
      CommandLine cl = new CommandLine(slow);
      cl.setStopAtPositional(true);
      cl.parseArgs(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertEquals(slow.toSpec(), fast.toSpec(), String.join(" ", c));
      assertEquals(slow.detach, fast.detach);
      assertEquals(slow.interactive, fast.interactive);
    }
    assertNull(RunFastPath.parse(new String[] {"run", "--help"}));
    assertNull(RunFastPath.parse(new String[] {"run", "--no-such-flag", "busybox"}));
    assertNull(RunFastPath.parse(new String[] {"run", "--rm"}));
  }
}
