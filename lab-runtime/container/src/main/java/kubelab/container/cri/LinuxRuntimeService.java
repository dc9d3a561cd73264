package kubelab.container.cri;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kubelab.container.Attach;
import kubelab.container.ContainerException;
import kubelab.container.ContainerSpec;
import kubelab.container.ContainerState;
import kubelab.container.ExecSpec;
import kubelab.container.LinuxRuntime;
import kubelab.container.NetworkMode;
import kubelab.container.Params;
import kubelab.container.Resources;
import kubelab.container.Trace;
import kubelab.container.image.ImageException;
import kubelab.container.state.ContainerRecord;
import kubelab.cri.ContainerConfig;
import kubelab.cri.ContainerStatus;
import kubelab.cri.CriException;
import kubelab.cri.PodSandboxConfig;
import kubelab.cri.PodSandboxStatus;
import kubelab.cri.RuntimeService;

/**
 * CRI's RuntimeService on KubeLab's Linux runtime, the way containerd's CRI plugin maps CRI onto
 * containers:
 *
 * <ul>
 *   <li>A pod sandbox is a pause container: no image, its own network namespace (bridge, with the
 *       pod IP) unless hostNetwork, its own IPC and UTS namespaces, and its hostname.</li>
 *   <li>A pod's containers join the sandbox's network, IPC and UTS namespaces, and its pid
 *       namespace when the pod shares it ({@code shareProcessNamespace}).</li>
 *   <li>Names follow dockershim's scheme, so {@code lab ps} reads like {@code docker ps} on a
 *       Kubernetes node: {@code k8s_POD_web_default_<uid>_0}, {@code k8s_app_web_default_<uid>_0}.</li>
 * </ul>
 *
 * CRI metadata, labels and annotations are kept in the container's labels under the prefixes
 * {@code cri.meta/}, {@code cri.label/} and {@code cri.annotation/}.
 */
public final class LinuxRuntimeService implements RuntimeService {
  private static final String META = "cri.meta/", LABEL = "cri.label/", ANNOTATION = "cri.annotation/";
  private static final String KIND = META + "kind";

  private final LinuxRuntime rt;

  public LinuxRuntimeService(LinuxRuntime rt) {
    this.rt = rt;
  }

  @Override
  public VersionInfo version() {
    return new VersionInfo("0.1.0", "kubelab", "0.1.0", "v1");
  }

  private static long nanos(String iso) {
    if (iso == null || iso.isEmpty()) return 0;
    try {
      Instant i = Instant.parse(iso);
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static Map<String, String> prefixed(Map<String, String> m, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }

  private static Map<String, String> unprefixed(Map<String, String> m, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
    });
    return out;
  }

  private ContainerRecord find(String id, String kind) {
    try {
      ContainerRecord r = rt.get(id);
      if (kind.equals(r.labels.get(KIND))) return r;
    } catch (ContainerException e) {
      // not found below
    }
    return null;
  }

  private ContainerRecord require(String id, String kind) {
    ContainerRecord r = id == null || id.isBlank() ? null : find(id, kind);
    if (r == null) throw CriException.notFound(kind.equals("sandbox") ? "pod sandbox" : "container", String.valueOf(id));
    return r;
  }

  private static CriException map(RuntimeException e) {
    if (e instanceof CriException ce) return ce;
    if (e instanceof ImageException || e.getCause() instanceof ImageException)
      return new CriException(CriException.Code.NOT_FOUND, e.getMessage(), e);
    if (e.getMessage() != null && e.getMessage().startsWith("No such container"))
      return new CriException(CriException.Code.NOT_FOUND, e.getMessage(), e);
    return new CriException(CriException.Code.UNKNOWN, e.getMessage() == null ? e.toString() : e.getMessage(), e);
  }

  // --- sandboxes ---------------------------------------------------------------------------

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    PodSandboxConfig.Metadata md = config.metadata();
    PodSandboxConfig.NamespaceOptions ns = config.linux().namespaceOptions();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(KIND, "sandbox");
    labels.put(META + "name", md.name());
    labels.put(META + "uid", md.uid());
    labels.put(META + "namespace", md.namespace());
    labels.put(META + "attempt", Integer.toString(md.attempt()));
    if (config.logDirectory() != null) labels.put(META + "logDirectory", config.logDirectory());
    labels.putAll(prefixed(config.labels(), LABEL));
    labels.putAll(prefixed(config.annotations(), ANNOTATION));
    ContainerSpec spec = ContainerSpec.builder(null)
        .name("k8s_POD_" + md.name() + "_" + md.namespace() + "_" + md.uid() + "_" + md.attempt())
        .pause(true)
        .hostname(config.hostname() == null || config.hostname().isEmpty() ? md.name() : config.hostname())
        .network(ns.network() == PodSandboxConfig.NamespaceMode.NODE ? NetworkMode.HOST : NetworkMode.BRIDGE)
        .cgroupParent(config.linux().cgroupParent())
        .labels(labels)
        .build();
    try {
      ContainerRecord r = rt.run(spec, Trace.NONE, null);
      return r.id;
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  private List<ContainerRecord> containersOf(String sandboxId) {
    List<ContainerRecord> out = new ArrayList<>();
    for (ContainerRecord r : rt.list(true)) {
      if ("container".equals(r.labels.get(KIND)) && sandboxId.equals(r.labels.get(META + "sandbox"))) out.add(r);
    }
    return out;
  }

  @Override
  public void stopPodSandbox(String podSandboxId) {
    ContainerRecord s = find(podSandboxId, "sandbox");
    if (s == null) return;
    for (ContainerRecord c : containersOf(s.id)) stopContainer(c.id, 0);
    try {
      rt.stop(s.id, Duration.ofSeconds(2));
    } catch (ContainerException e) {
      // already gone
    }
  }

  @Override
  public void removePodSandbox(String podSandboxId) {
    ContainerRecord s = find(podSandboxId, "sandbox");
    if (s == null) return;
    for (ContainerRecord c : containersOf(s.id)) removeContainer(c.id);
    try {
      rt.remove(s.id, true);
    } catch (ContainerException e) {
      // already gone
    }
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String podSandboxId) {
    ContainerRecord s = require(podSandboxId, "sandbox");
    ContainerState st = rt.state(s);
    return new PodSandboxStatus(s.id, sandboxMeta(s), st.running() ? PodSandboxStatus.State.SANDBOX_READY : PodSandboxStatus.State.SANDBOX_NOTREADY,
        nanos(s.created), s.ip, unprefixed(s.labels, LABEL), unprefixed(s.labels, ANNOTATION));
  }

  private static PodSandboxConfig.Metadata sandboxMeta(ContainerRecord s) {
    return new PodSandboxConfig.Metadata(s.labels.get(META + "name"), s.labels.get(META + "uid"),
        s.labels.get(META + "namespace"), Integer.parseInt(s.labels.getOrDefault(META + "attempt", "0")));
  }

  @Override
  public List<PodSandboxStatus.PodSandbox> listPodSandbox(PodSandboxStatus.Filter filter) {
    List<PodSandboxStatus.PodSandbox> out = new ArrayList<>();
    for (ContainerRecord s : rt.list(true)) {
      if (!"sandbox".equals(s.labels.get(KIND))) continue;
      PodSandboxStatus.State state = rt.state(s).running() ? PodSandboxStatus.State.SANDBOX_READY : PodSandboxStatus.State.SANDBOX_NOTREADY;
      Map<String, String> labels = unprefixed(s.labels, LABEL);
      if (filter == null || filter.matches(s.id, state, labels))
        out.add(new PodSandboxStatus.PodSandbox(s.id, sandboxMeta(s), state, nanos(s.created), labels, unprefixed(s.labels, ANNOTATION)));
    }
    return List.copyOf(out);
  }

  // --- containers ----------------------------------------------------------------------------

  @Override
  public String createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    ContainerRecord s = require(podSandboxId, "sandbox");
    if (!rt.state(s).running())
      throw new CriException(CriException.Code.FAILED_PRECONDITION, "pod sandbox " + podSandboxId + " is not ready");
    PodSandboxConfig.Metadata pod = sandboxMeta(s);
    PodSandboxConfig.NamespaceOptions ns = sandboxConfig == null ? PodSandboxConfig.NamespaceOptions.DEFAULT
        : sandboxConfig.linux().namespaceOptions();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(KIND, "container");
    labels.put(META + "sandbox", s.id);
    labels.put(META + "name", config.metadata().name());
    labels.put(META + "attempt", Integer.toString(config.metadata().attempt()));
    labels.putAll(prefixed(config.labels(), LABEL));
    labels.putAll(prefixed(config.annotations(), ANNOTATION));
    ContainerSpec.Builder b = ContainerSpec.builder(config.image())
        .name("k8s_" + config.metadata().name() + "_" + pod.name() + "_" + pod.namespace() + "_" + pod.uid() + "_" + config.metadata().attempt())
        .labels(labels)
        .interactive(config.stdin())
        .cgroupParent(s.cgroupParent)
        .joinIpc(s.id)
        .joinUts(s.id)
        .noHealthcheck(true); // Kubernetes ignores HEALTHCHECK: probes are the kubelet's (CURRICULUM C37)
    if (s.networkMode.equals("host")) b.network(NetworkMode.HOST);
    else b.network(NetworkMode.container(s.id)).joinNet(s.id);
    if (ns.pid() == PodSandboxConfig.NamespaceMode.POD) b.joinPid(s.id);
    // Kubernetes: command replaces ENTRYPOINT, args replace CMD.
    if (!config.command().isEmpty()) b.entrypoint(config.command());
    if (!config.args().isEmpty() || !config.command().isEmpty()) b.command(config.args());
    if (config.workingDir() != null && !config.workingDir().isEmpty()) b.workingDir(config.workingDir());
    for (ContainerConfig.KeyValue kv : config.envs()) b.env(kv.key() + "=" + kv.value());
    for (ContainerConfig.Mount m : config.mounts()) b.volume(new ContainerSpec.Volume(m.hostPath(), m.containerPath(), m.readonly()));
    ContainerConfig.Resources r = config.linux().resources();
    long quota = r.cpuQuota() > 0 ? r.cpuQuota() * Params.CPU_PERIOD_US / (r.cpuPeriod() > 0 ? r.cpuPeriod() : Params.CPU_PERIOD_US) : 0;
    b.resources(new Resources(r.memoryLimitInBytes(), r.memorySwapLimitInBytes(), quota, r.cpuShares(),
        r.cpusetCpus() == null || r.cpusetCpus().isEmpty() ? null : r.cpusetCpus(),
        r.cpusetMems() == null || r.cpusetMems().isEmpty() ? null : r.cpusetMems(), r.pidsLimit()));
    ContainerConfig.SecurityContext sc = config.linux().securityContext();
    if (sc.runAsUser() != null) b.user(sc.runAsUser() + (sc.runAsGroup() != null ? ":" + sc.runAsGroup() : ""));
    b.readOnly(sc.readonlyRootfs());
    sc.addCapabilities().forEach(b::capAdd);
    sc.dropCapabilities().forEach(b::capDrop);
    String logDir = s.labels.get(META + "logDirectory");
    if (logDir != null && config.logPath() != null && !config.logPath().isEmpty()) {
      Path p = Path.of(logDir, config.logPath());
      try {
        java.nio.file.Files.createDirectories(p.getParent());
      } catch (java.io.IOException e) {
        throw new CriException(CriException.Code.INTERNAL, "cannot create the log directory " + p.getParent() + ": " + e.getMessage());
      }
      b.logPath(p.toString());
    }
    try {
      return rt.create(b.build()).id;
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  @Override
  public void startContainer(String containerId) {
    ContainerRecord c = require(containerId, "container");
    try {
      rt.start(c.id, Trace.NONE, null);
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  @Override
  public void stopContainer(String containerId, long timeoutSeconds) {
    ContainerRecord c = find(containerId, "container");
    if (c == null) return;
    try {
      rt.stop(c.id, Duration.ofSeconds(Math.max(0, timeoutSeconds)));
    } catch (ContainerException e) {
      // gone already
    }
  }

  @Override
  public void removeContainer(String containerId) {
    ContainerRecord c = find(containerId, "container");
    if (c == null) return;
    try {
      rt.remove(c.id, true);
    } catch (ContainerException e) {
      // gone already
    }
  }

  private static ContainerStatus.State criState(ContainerState st) {
    return switch (st.status()) {
      case "running", "paused" -> ContainerStatus.State.CONTAINER_RUNNING;
      case "exited" -> ContainerStatus.State.CONTAINER_EXITED;
      case "created" -> st.error() != null && !st.error().isEmpty()
          ? ContainerStatus.State.CONTAINER_EXITED : ContainerStatus.State.CONTAINER_CREATED; // a failed start
      default -> ContainerStatus.State.CONTAINER_UNKNOWN;
    };
  }

  private static ContainerConfig.Metadata meta(ContainerRecord c) {
    return new ContainerConfig.Metadata(c.labels.get(META + "name"), Integer.parseInt(c.labels.getOrDefault(META + "attempt", "0")));
  }

  @Override
  public List<ContainerStatus.Container> listContainers(ContainerStatus.Filter filter) {
    List<ContainerStatus.Container> out = new ArrayList<>();
    for (ContainerRecord c : rt.list(true)) {
      if (!"container".equals(c.labels.get(KIND))) continue;
      ContainerStatus.State st = criState(rt.state(c));
      Map<String, String> labels = unprefixed(c.labels, LABEL);
      String sandbox = c.labels.get(META + "sandbox");
      if (filter == null || filter.matches(c.id, st, sandbox, labels))
        out.add(new ContainerStatus.Container(c.id, sandbox, meta(c), c.image, c.imageId, st, nanos(c.created), labels,
            unprefixed(c.labels, ANNOTATION)));
    }
    return List.copyOf(out);
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    ContainerRecord c = require(containerId, "container");
    ContainerState st = rt.state(c);
    ContainerStatus.State s = criState(st);
    String reason = "";
    if (s == ContainerStatus.State.CONTAINER_EXITED) {
      reason = st.oomKilled() ? ContainerStatus.Reasons.OOM_KILLED
          : st.exitCode() == 0 ? ContainerStatus.Reasons.COMPLETED : ContainerStatus.Reasons.ERROR;
    }
    int exitCode = st.exitCode();
    long finished = nanos(st.finishedAt());
    if (st.status().equals("created") && st.error() != null && !st.error().isEmpty()) {
      // a failed start: containerd reports the container exited, StartError, 128
      s = ContainerStatus.State.CONTAINER_EXITED;
      reason = ContainerStatus.Reasons.START_ERROR;
      exitCode = ContainerStatus.Reasons.START_ERROR_EXIT_CODE;
      if (finished == 0) finished = nanos(c.created);
    }
    return new ContainerStatus(c.id, meta(c), s, nanos(c.created), nanos(st.startedAt()), finished, exitCode,
        c.image, c.imageId, reason, st.error() == null ? "" : st.error(), unprefixed(c.labels, LABEL),
        unprefixed(c.labels, ANNOTATION), c.logPath);
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> cmd, long timeoutSeconds) {
    ContainerRecord c = require(containerId, "container");
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    java.util.concurrent.atomic.AtomicLong pid = new java.util.concurrent.atomic.AtomicLong();
    CompletableFuture<Integer> f = CompletableFuture.supplyAsync(
        () -> rt.exec(c.id, new ExecSpec(cmd, List.of(), null, null, false), new Attach(null, out, err), Trace.NONE, pid::set));
    try {
      int code = timeoutSeconds > 0 ? f.get(timeoutSeconds, TimeUnit.SECONDS) : f.get();
      return new ExecSyncResponse(out.toByteArray(), err.toByteArray(), code);
    } catch (TimeoutException e) {
      // A probe that hangs must not stay behind in the container (the kubelet would start another).
      if (pid.get() > 0) kubelab.container.sys.Signals.kill(pid.get(), kubelab.container.sys.Signals.SIGKILL);
      throw new CriException(CriException.Code.DEADLINE_EXCEEDED, "command " + cmd + " timed out after " + timeoutSeconds + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CriException(CriException.Code.INTERNAL, "interrupted");
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      if (t instanceof ContainerException ce && ce.exitCode() >= 126)
        return new ExecSyncResponse(new byte[0], (ce.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), ce.exitCode());
      throw t instanceof RuntimeException re ? map(re) : new CriException(CriException.Code.INTERNAL, String.valueOf(t));
    }
  }
}
