package kubelab.cri.fake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kubelab.cri.ContainerConfig;
import kubelab.cri.ContainerStatus;
import kubelab.cri.CriException;
import kubelab.cri.PodSandboxConfig;
import kubelab.cri.PodSandboxStatus;
import kubelab.cri.RuntimeService;

/**
 * An in-memory {@link RuntimeService} for the kubelet's tests: no kernel, no root, milliseconds
 * per pod. It passes the same contract suite as the Linux runtime ({@code RuntimeServiceContract}),
 * so a kubelet test that passes here means the same on the real thing.
 *
 * <p>Containers run {@link FakeProgram}s on daemon threads; their output goes to the CRI log
 * file the config names, in the real format. Images: any name in {@link #images} (default
 * busybox). Thread-safe (one lock).
 */
public final class FakeRuntimeService implements RuntimeService {
  private final Set<String> images;
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Ctr> containers = new LinkedHashMap<>();
  private long ips = 1;

  private static final class Sandbox {
    String id;
    PodSandboxConfig config;
    PodSandboxStatus.State state = PodSandboxStatus.State.SANDBOX_READY;
    long createdAt;
    String ip;
  }

  private static final class Ctr {
    String id, sandboxId, logPath;
    ContainerConfig config;
    PodSandboxConfig sandboxConfig;
    List<String> argv;
    ContainerStatus.State state = ContainerStatus.State.CONTAINER_CREATED;
    long createdAt, startedAt, finishedAt;
    int exitCode;
    String reason = "", message = "";
    FakeProgram program;
    CompletableFuture<Integer> exit;
  }

  public FakeRuntimeService() {
    this(Set.of("busybox", "busybox:latest"));
  }

  public FakeRuntimeService(Set<String> images) {
    this.images = Set.copyOf(images);
  }

  private static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public VersionInfo version() {
    return new VersionInfo("0.1.0", "kubelab-fake", "0.1.0", "v1");
  }

  @Override
  public synchronized String runPodSandbox(PodSandboxConfig config) {
    Sandbox s = new Sandbox();
    s.id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    s.config = config;
    s.createdAt = now();
    s.ip = config.linux().namespaceOptions().network() == PodSandboxConfig.NamespaceMode.NODE ? "" : "10.88.0." + (++ips % 250 + 2);
    sandboxes.put(s.id, s);
    return s.id;
  }

  @Override
  public void stopPodSandbox(String id) {
    List<String> ids;
    synchronized (this) {
      Sandbox s = sandboxes.get(id);
      if (s == null) return;
      ids = containers.values().stream().filter(c -> c.sandboxId.equals(id)).map(c -> c.id).toList();
    }
    for (String c : ids) stopContainer(c, 0);
    synchronized (this) {
      Sandbox s = sandboxes.get(id);
      if (s != null) s.state = PodSandboxStatus.State.SANDBOX_NOTREADY;
    }
  }

  @Override
  public void removePodSandbox(String id) {
    stopPodSandbox(id);
    synchronized (this) {
      containers.values().removeIf(c -> c.sandboxId.equals(id));
      sandboxes.remove(id);
    }
  }

  @Override
  public synchronized PodSandboxStatus podSandboxStatus(String id) {
    Sandbox s = sandboxes.get(id);
    if (s == null) throw CriException.notFound("pod sandbox", id);
    return new PodSandboxStatus(s.id, s.config.metadata(), s.state, s.createdAt, s.ip, s.config.labels(), s.config.annotations());
  }

  @Override
  public synchronized List<PodSandboxStatus.PodSandbox> listPodSandbox(PodSandboxStatus.Filter filter) {
    List<PodSandboxStatus.PodSandbox> out = new ArrayList<>();
    for (Sandbox s : sandboxes.values()) {
      if (filter == null || filter.matches(s.id, s.state, s.config.labels()))
        out.add(new PodSandboxStatus.PodSandbox(s.id, s.config.metadata(), s.state, s.createdAt, s.config.labels(), s.config.annotations()));
    }
    return List.copyOf(out);
  }

  @Override
  public synchronized String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) throw CriException.notFound("pod sandbox", sandboxId);
    if (s.state != PodSandboxStatus.State.SANDBOX_READY)
      throw new CriException(CriException.Code.FAILED_PRECONDITION, "pod sandbox " + sandboxId + " is not ready");
    if (!images.contains(config.image())) throw new CriException(CriException.Code.NOT_FOUND, "No such image: " + config.image());
    Ctr c = new Ctr();
    c.id = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    c.sandboxId = sandboxId;
    c.config = config;
    c.sandboxConfig = sandboxConfig;
    c.createdAt = now();
    List<String> argv = new ArrayList<>(config.command().isEmpty() ? List.of("sh") : config.command());
    if (!config.command().isEmpty() || !config.args().isEmpty()) {
      if (config.command().isEmpty()) argv.clear();
      argv.addAll(config.args());
    }
    c.argv = argv;
    String dir = sandboxConfig == null ? null : sandboxConfig.logDirectory();
    c.logPath = dir == null || config.logPath() == null ? "" : Path.of(dir, config.logPath()).toString();
    containers.put(c.id, c);
    return c.id;
  }

  @Override
  public void startContainer(String id) {
    Ctr c;
    synchronized (this) {
      c = containers.get(id);
      if (c == null) throw CriException.notFound("container", id);
      if (c.state != ContainerStatus.State.CONTAINER_CREATED)
        throw new CriException(CriException.Code.FAILED_PRECONDITION, "container " + id + " is not in created state");
      String host = sandboxes.get(c.sandboxId).config.hostname();
      try {
        c.program = FakeProgram.parse(c.argv, host == null ? "fake" : host);
      } catch (FakeProgram.NotFound e) {
        c.reason = ContainerStatus.Reasons.START_ERROR;
        c.message = e.getMessage();
        c.state = ContainerStatus.State.CONTAINER_EXITED;
        c.exitCode = ContainerStatus.Reasons.START_ERROR_EXIT_CODE;
        c.finishedAt = now();
        throw new CriException(CriException.Code.UNKNOWN, e.getMessage());
      }
      c.state = ContainerStatus.State.CONTAINER_RUNNING;
      c.startedAt = now();
      c.exit = new CompletableFuture<>();
    }
    Thread t = new Thread(() -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = c.program.run(out);
      log(c, out.toByteArray());
      synchronized (this) {
        c.exitCode = code;
        c.finishedAt = now();
        c.state = ContainerStatus.State.CONTAINER_EXITED;
        c.reason = code == 0 ? ContainerStatus.Reasons.COMPLETED : ContainerStatus.Reasons.ERROR;
      }
      c.exit.complete(code);
    }, "fake-" + id.substring(0, 12));
    t.setDaemon(true);
    t.start();
  }

  private static void log(Ctr c, byte[] out) {
    if (c.logPath.isEmpty() || out.length == 0) return;
    StringBuilder sb = new StringBuilder();
    for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) sb.append(Instant.now()).append(" stdout F ").append(line).append('\n');
    try {
      Files.createDirectories(Path.of(c.logPath).getParent());
      Files.writeString(Path.of(c.logPath), sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // a log directory that cannot be written: the real runtime would fail the start instead
    }
  }

  @Override
  public void stopContainer(String id, long timeoutSeconds) {
    Ctr c;
    synchronized (this) {
      c = containers.get(id);
      if (c == null || c.state != ContainerStatus.State.CONTAINER_RUNNING) return;
    }
    try {
      // SIGTERM is ignored by a PID 1 without a handler: wait out the grace period, then SIGKILL.
      c.exit.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      c.program.kill();
      c.exit.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // finished anyway
    }
  }

  @Override
  public void removeContainer(String id) {
    Ctr c;
    synchronized (this) {
      c = containers.get(id);
      if (c == null) return;
    }
    if (c.program != null && c.exit != null && !c.exit.isDone()) {
      c.program.kill();
      c.exit.join();
    }
    synchronized (this) {
      containers.remove(id);
    }
  }

  @Override
  public synchronized List<ContainerStatus.Container> listContainers(ContainerStatus.Filter filter) {
    List<ContainerStatus.Container> out = new ArrayList<>();
    for (Ctr c : containers.values()) {
      if (filter == null || filter.matches(c.id, c.state, c.sandboxId, c.config.labels()))
        out.add(new ContainerStatus.Container(c.id, c.sandboxId, c.config.metadata(), c.config.image(), c.config.image(),
            c.state, c.createdAt, c.config.labels(), c.config.annotations()));
    }
    return List.copyOf(out);
  }

  @Override
  public synchronized ContainerStatus containerStatus(String id) {
    Ctr c = containers.get(id);
    if (c == null) throw CriException.notFound("container", id);
    return new ContainerStatus(c.id, c.config.metadata(), c.state, c.createdAt, c.startedAt, c.finishedAt, c.exitCode,
        c.config.image(), c.config.image(), c.reason, c.message, c.config.labels(), c.config.annotations(), c.logPath);
  }

  @Override
  public ExecSyncResponse execSync(String id, List<String> cmd, long timeoutSeconds) {
    String host;
    synchronized (this) {
      Ctr c = containers.get(id);
      if (c == null) throw CriException.notFound("container", id);
      if (c.state != ContainerStatus.State.CONTAINER_RUNNING)
        throw new CriException(CriException.Code.FAILED_PRECONDITION, "container " + id + " is not running");
      host = sandboxes.get(c.sandboxId).config.hostname();
    }
    FakeProgram p;
    try {
      p = FakeProgram.parse(cmd, host == null ? "fake" : host);
    } catch (FakeProgram.NotFound e) {
      return new ExecSyncResponse(new byte[0], (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8), 127);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> p.run(out));
    try {
      int code = timeoutSeconds > 0 ? f.get(timeoutSeconds, TimeUnit.SECONDS) : f.get();
      return new ExecSyncResponse(out.toByteArray(), new byte[0], code);
    } catch (java.util.concurrent.TimeoutException e) {
      p.kill();
      throw new CriException(CriException.Code.DEADLINE_EXCEEDED, "command " + cmd + " timed out after " + timeoutSeconds + "s");
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new CriException(CriException.Code.INTERNAL, "exec failed: " + e);
    }
  }
}
