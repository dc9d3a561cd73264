package kubelab.cri.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.cri.ContainerConfig;
import kubelab.cri.ContainerStatus;
import kubelab.cri.CriException;
import kubelab.cri.PodSandboxConfig;
import kubelab.cri.PodSandboxStatus;
import kubelab.cri.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RuntimeService} keeps, as a JUnit 5 suite: the Linux runtime and the
 * fake each have a test class that extends this and says how to make one. (It ships in the
 * main jar, like a TCK, so both modules can use it; JUnit is a "provided" dependency.)
 *
 * <p>Commands are ones both runtimes run with busybox's meaning: {@code sleep}, {@code echo},
 * {@code true}, {@code sh -c '...; exit N'}.
 */
public abstract class RuntimeServiceContract {

  /** The runtime under test (called once per test). */
  protected abstract RuntimeService runtime();

  /** An image the runtime has. */
  protected String image() {
    return "busybox";
  }

  private final List<String> sandboxes = new ArrayList<>();
  private Path logDir;

  @AfterEach
  void removeEverything() throws IOException {
    for (String s : sandboxes) runtime().removePodSandbox(s);
    if (logDir != null) {
      try (var w = Files.walk(logDir)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  protected String sandbox(String name) {
    try {
      if (logDir == null) logDir = Files.createTempDirectory("kubelab-cri-logs");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    PodSandboxConfig cfg = sandboxConfig(name);
    String id = runtime().runPodSandbox(cfg);
    sandboxes.add(id);
    return id;
  }

  protected PodSandboxConfig sandboxConfig(String name) {
    return new PodSandboxConfig(new PodSandboxConfig.Metadata(name, "uid-" + name, "default", 0), name,
        logDir == null ? null : logDir.resolve(name).toString(), Map.of("app", name), Map.of("note", "contract"),
        new PodSandboxConfig.Linux(null, new PodSandboxConfig.NamespaceOptions(
            PodSandboxConfig.NamespaceMode.POD, PodSandboxConfig.NamespaceMode.CONTAINER, PodSandboxConfig.NamespaceMode.POD)));
  }

  protected String container(String sandbox, String name, List<String> command) {
    return runtime().createContainer(sandbox, ContainerConfig.of(name, image(), command), sandboxConfig(podName(sandbox)));
  }

  private String podName(String sandbox) {
    return runtime().podSandboxStatus(sandbox).metadata().name();
  }

  protected ContainerStatus awaitExit(String id) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      ContainerStatus s = runtime().containerStatus(id);
      if (s.state() == ContainerStatus.State.CONTAINER_EXITED) return s;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("container " + id + " did not exit within 20s");
  }

  @Test
  void aSandboxIsReadyWhenRunPodSandboxReturns() {
    String s = sandbox("ready");
    PodSandboxStatus st = runtime().podSandboxStatus(s);
    assertEquals(PodSandboxStatus.State.SANDBOX_READY, st.state());
    assertEquals("ready", st.metadata().name());
    assertEquals("ready", st.labels().get("app"));
    assertEquals("contract", st.annotations().get("note"));
    assertTrue(runtime().listPodSandbox(PodSandboxStatus.Filter.ALL).stream().anyMatch(p -> p.id().equals(s)));
  }

  @Test
  void aStoppedSandboxIsNotReadyAndARemovedOneIsNotFound() {
    String s = sandbox("stopme");
    runtime().stopPodSandbox(s);
    assertEquals(PodSandboxStatus.State.SANDBOX_NOTREADY, runtime().podSandboxStatus(s).state());
    runtime().removePodSandbox(s);
    CriException e = assertThrows(CriException.class, () -> runtime().podSandboxStatus(s));
    assertEquals(CriException.Code.NOT_FOUND, e.code());
    runtime().removePodSandbox(s); // idempotent
    runtime().stopPodSandbox(s);
  }

  @Test
  void aCreatedContainerIsNotRunningUntilStarted() {
    String s = sandbox("created");
    String c = container(s, "app", List.of("sleep", "1000"));
    assertEquals(ContainerStatus.State.CONTAINER_CREATED, runtime().containerStatus(c).state());
    runtime().startContainer(c);
    ContainerStatus st = runtime().containerStatus(c);
    assertEquals(ContainerStatus.State.CONTAINER_RUNNING, st.state());
    assertTrue(st.startedAt() >= st.createdAt() && st.createdAt() > 0);
    assertEquals("app", st.metadata().name());
  }

  @Test
  void anExitCodeAndTheReasonErrorAreReported() {
    String s = sandbox("exit3");
    String c = container(s, "app", List.of("sh", "-c", "echo hello; exit 3"));
    runtime().startContainer(c);
    ContainerStatus st = awaitExit(c);
    assertEquals(3, st.exitCode());
    assertEquals(ContainerStatus.Reasons.ERROR, st.reason());
    assertTrue(st.finishedAt() >= st.startedAt());
  }

  @Test
  void aCleanExitIsCompleted() {
    String s = sandbox("clean");
    String c = container(s, "app", List.of("true"));
    runtime().startContainer(c);
    ContainerStatus st = awaitExit(c);
    assertEquals(0, st.exitCode());
    assertEquals(ContainerStatus.Reasons.COMPLETED, st.reason());
  }

  @Test
  void stdoutGoesToTheLogFileInCriFormat() throws IOException {
    String s = sandbox("logs");
    String c = container(s, "app", List.of("echo", "hello", "log"));
    runtime().startContainer(c);
    ContainerStatus st = awaitExit(c);
    Path log = Path.of(st.logPath());
    assertTrue(Files.exists(log), "log file " + log);
    String text = Files.readString(log);
    assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F hello log\n"), text);
  }

  @Test
  void stopKillsAPid1ThatIgnoresSigtermAfterTheGracePeriod() {
    String s = sandbox("stop");
    String c = container(s, "app", List.of("sleep", "1000"));
    runtime().startContainer(c);
    long t0 = System.nanoTime();
    runtime().stopContainer(c, 1);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    ContainerStatus st = runtime().containerStatus(c);
    assertEquals(ContainerStatus.State.CONTAINER_EXITED, st.state());
    assertEquals(137, st.exitCode());
    assertTrue(ms >= 900, "stop returned after " + ms + " ms, before the 1s grace period");
    runtime().stopContainer(c, 1); // idempotent
  }

  @Test
  void execSyncReturnsOutputAndExitCode() {
    String s = sandbox("exec");
    String c = container(s, "app", List.of("sleep", "1000"));
    runtime().startContainer(c);
    RuntimeService.ExecSyncResponse r = runtime().execSync(c, List.of("echo", "hi"), 10);
    assertEquals(0, r.exitCode());
    assertEquals("hi\n", r.stdoutText());
    assertEquals(7, runtime().execSync(c, List.of("sh", "-c", "exit 7"), 10).exitCode());
  }

  @Test
  void execSyncPastItsTimeoutIsDeadlineExceeded() {
    String s = sandbox("slowexec");
    String c = container(s, "app", List.of("sleep", "1000"));
    runtime().startContainer(c);
    CriException e = assertThrows(CriException.class, () -> runtime().execSync(c, List.of("sleep", "30"), 1));
    assertEquals(CriException.Code.DEADLINE_EXCEEDED, e.code());
    assertEquals(0, runtime().execSync(c, List.of("true"), 10).exitCode()); // the container is still usable
  }

  @Test
  void theSandboxHostnameIsTheContainersHostname() {
    String s = sandbox("named");
    String c = container(s, "app", List.of("sleep", "1000"));
    runtime().startContainer(c);
    assertEquals("named\n", runtime().execSync(c, List.of("hostname"), 10).stdoutText());
  }

  @Test
  void unknownIdsAreNotFoundButStopAndRemoveAreIdempotent() {
    String missing = "0".repeat(64);
    assertEquals(CriException.Code.NOT_FOUND, assertThrows(CriException.class, () -> runtime().containerStatus(missing)).code());
    assertEquals(CriException.Code.NOT_FOUND, assertThrows(CriException.class, () -> runtime().startContainer(missing)).code());
    assertEquals(CriException.Code.NOT_FOUND, assertThrows(CriException.class, () -> runtime().podSandboxStatus(missing)).code());
    runtime().stopContainer(missing, 1);
    runtime().removeContainer(missing);
  }

  @Test
  void anUnknownImageIsNotFound() {
    String s = sandbox("noimage");
    CriException e = assertThrows(CriException.class, () -> runtime().createContainer(s,
        ContainerConfig.of("app", "no-such-image:1", List.of("true")), sandboxConfig("noimage")));
    assertEquals(CriException.Code.NOT_FOUND, e.code());
  }

  @Test
  void aMissingCommandFailsTheStartAndTheContainerDoesNotRun() {
    String s = sandbox("nocmd");
    String c = container(s, "app", List.of("no-such-command"));
    assertThrows(CriException.class, () -> runtime().startContainer(c));
    ContainerStatus st = runtime().containerStatus(c);
    // as containerd reports it: exited, reason StartError, exit code 128, the error as message
    assertEquals(ContainerStatus.State.CONTAINER_EXITED, st.state());
    assertEquals(ContainerStatus.Reasons.START_ERROR, st.reason());
    assertEquals(ContainerStatus.Reasons.START_ERROR_EXIT_CODE, st.exitCode());
    assertTrue(st.message().contains("no-such-command"), st.message());
  }

  @Test
  void listContainersFiltersBySandboxAndState() {
    String s1 = sandbox("list1");
    String s2 = sandbox("list2");
    String a = container(s1, "a", List.of("sleep", "1000"));
    String b = container(s2, "b", List.of("sleep", "1000"));
    runtime().startContainer(a);
    List<ContainerStatus.Container> inS1 = runtime().listContainers(new ContainerStatus.Filter(null, null, s1, Map.of()));
    assertEquals(List.of(a), inS1.stream().map(ContainerStatus.Container::id).toList());
    List<ContainerStatus.Container> created = runtime().listContainers(
        new ContainerStatus.Filter(null, ContainerStatus.State.CONTAINER_CREATED, null, Map.of()));
    assertTrue(created.stream().anyMatch(x -> x.id().equals(b)));
    assertFalse(created.stream().anyMatch(x -> x.id().equals(a)));
  }

  @Test
  void removingASandboxRemovesItsContainers() {
    String s = sandbox("rmall");
    String c = container(s, "app", List.of("sleep", "1000"));
    runtime().startContainer(c);
    runtime().removePodSandbox(s);
    assertEquals(CriException.Code.NOT_FOUND, assertThrows(CriException.class, () -> runtime().containerStatus(c)).code());
  }
}
