package kubelab.shell.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubelab.container.state.StateStore;
import kubelab.container.sys.Signals;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C on a foreground {@code lab run} goes to the container's PID 1, as docker run's
 * --sig-proxy does: the CLI (a real JVM, started here as a process) keeps waiting and exits with
 * the container's code; a second Ctrl-C kills the container; --rm still removes it afterwards.
 */
class SignalProxyTest {
  static Path root;

  @BeforeAll
  static void makeRoot() throws Exception {
    root = Files.createTempDirectory("kubelab-sigproxy-test");
  }

  @AfterAll
  static void deleteRoot() throws Exception {
    if (Requires.isRoot()) {
      for (String id : lab("ps", "-a", "-q", "--no-trunc").out.split("\n")) if (!id.isBlank()) lab("rm", "-f", id.trim());
    }
    StateStore.deleteTree(root);
  }

  record Result(int code, String out, String err) {}

  static Result lab(String... args) throws Exception {
    Process p = start(args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out, err);
  }

  static Process start(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "kubelab.shell.Main", args[0], "--root", root.toString()));
    cmd.addAll(List.of(args).subList(1, args.length));
    return new ProcessBuilder(cmd).start();
  }

  /** Starts a foreground lab run, waits for its first line ("ready"), sends SIGINT {@code times}. */
  static Result interrupt(int times, String... args) throws Exception {
    Process p = start(args);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    for (int i = 0; i < times; i++) {
      if (i > 0) Thread.sleep(300);
      Signals.kill(p.pid(), Signals.SIGINT);
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the CLI ends once the container has");
    StringBuilder rest = new StringBuilder();
    for (String l; (l = out.readLine()) != null; ) rest.append(l).append('\n');
    return new Result(p.exitValue(), rest.toString(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void ctrlCReachesPid1AndTheCliReportsItsExitCode() throws Exception {
    Requires.root();
    Result r = interrupt(1, "run", "--name", "trapper", "--net", "none", "busybox", "sh", "-c",
        "trap 'echo got INT; exit 7' INT; echo ready; while :; do sleep 0.1; done");
    assertEquals("got INT\n", r.out(), r.err());
    assertEquals(7, r.code(), r.err());
    // without --rm the container stays, exited with its own code (it was not removed by the CLI)
    assertEquals("7", lab("inspect", "trapper", "-f", "State.ExitCode").out().trim());
  }

  @Test
  void aSecondCtrlCKillsAPid1ThatIgnoresIt_andRmStillRemoves() throws Exception {
    Requires.root();
    Result r = interrupt(2, "run", "--rm", "--name", "ignorer", "--net", "none", "busybox", "sh", "-c", "echo ready; exec sleep 1000");
    assertEquals(137, r.code(), r.err());
    assertTrue(r.err().contains("again within 2 s kills it"), r.err());
    assertEquals(125, lab("inspect", "ignorer").code(), "--rm removed it");
  }

  @Test
  void oneCtrlCLeavesAPid1WithoutAHandlerRunning() throws Exception {
    Requires.root();
    Process p = start("run", "--rm", "--name", "deaf", "--net", "none", "busybox", "sh", "-c", "echo ready; exec sleep 1000");
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    Signals.kill(p.pid(), Signals.SIGINT);
    assertTrue(!p.waitFor(1, TimeUnit.SECONDS), "PID 1 ignores SIGINT, the CLI keeps waiting");
    assertEquals("running", lab("inspect", "deaf", "-f", "State.Status").out().trim());
    Thread.sleep(2200); // past the window: this SIGTERM is a first one again, forwarded and ignored
    Signals.kill(p.pid(), Signals.SIGTERM);
    assertTrue(!p.waitFor(500, TimeUnit.MILLISECONDS));
    Signals.kill(p.pid(), Signals.SIGTERM); // the second: killed
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue());
  }
}
