package kubelab.cri;

import java.util.List;

/**
 * The runtime half of the Container Runtime Interface: what the kubelet asks of a container
 * runtime. Shaped after CRI v1 ({@code k8s.io/cri-api/pkg/apis/runtime/v1/api.proto},
 * Kubernetes 1.32), with gRPC requests flattened into arguments and responses into records, so
 * the kubelet code reads like the real one: RunPodSandbox, CreateContainer, StartContainer, ...
 *
 * <p>A pod sandbox is the environment the pod's containers share: its network, IPC and UTS
 * namespaces (and the pid namespace with {@code shareProcessNamespace}), held open by a pause
 * process, and its cgroup parent. Containers are created inside a sandbox.
 *
 * <p>Contract (checked by {@code RuntimeServiceContractTest} against every implementation):
 * <ul>
 *   <li>Ids are opaque, unique strings. Unknown ids throw {@link CriException} with
 *       {@link CriException.Code#NOT_FOUND}, except that stop and remove of an unknown or already
 *       removed id succeed (they are idempotent, as in CRI).</li>
 *   <li>Calls block until the change is made (a started container is running on return) and are
 *       safe to call from several threads.</li>
 *   <li>Returned lists are new, unmodifiable lists owned by the caller.</li>
 *   <li>Stopping a sandbox stops all its containers; removing it removes them.</li>
 * </ul>
 */
public interface RuntimeService {

  /** The runtime's name and version ({@code Version}). */
  VersionInfo version();

  /** Creates and starts a pod sandbox; returns its id. Blocks until the sandbox is ready. */
  String runPodSandbox(PodSandboxConfig config);

  /** Stops every container of the sandbox and the sandbox itself. Idempotent. */
  void stopPodSandbox(String podSandboxId);

  /** Removes the sandbox and its containers, stopping them first if needed. Idempotent. */
  void removePodSandbox(String podSandboxId);

  PodSandboxStatus podSandboxStatus(String podSandboxId);

  List<PodSandboxStatus.PodSandbox> listPodSandbox(PodSandboxStatus.Filter filter);

  /**
   * Creates a container in a ready sandbox; returns its id. The container is CREATED, not
   * running. {@code sandboxConfig} is the config the sandbox was run with.
   */
  String createContainer(String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

  /** Starts a CREATED container; on return it is RUNNING (or already EXITED, for a fast one). */
  void startContainer(String containerId);

  /**
   * Sends SIGTERM (or the image's stop signal) and, if the container still runs after
   * {@code timeoutSeconds}, SIGKILL. Blocks until the container has exited. Idempotent.
   */
  void stopContainer(String containerId, long timeoutSeconds);

  /** Removes a container, killing it first if it still runs. Idempotent. */
  void removeContainer(String containerId);

  List<ContainerStatus.Container> listContainers(ContainerStatus.Filter filter);

  ContainerStatus containerStatus(String containerId);

  /**
   * Runs {@code cmd} in a running container and waits for it, at most {@code timeoutSeconds}
   * (0: no limit). Throws {@link CriException.Code#DEADLINE_EXCEEDED} on timeout.
   */
  ExecSyncResponse execSync(String containerId, List<String> cmd, long timeoutSeconds);

  /** {@code VersionResponse}. */
  record VersionInfo(String version, String runtimeName, String runtimeVersion, String runtimeApiVersion) {}

  /** {@code ExecSyncResponse}: the command's whole output and its exit code. */
  record ExecSyncResponse(byte[] stdout, byte[] stderr, int exitCode) {
    public String stdoutText() {
      return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String stderrText() {
      return new String(stderr, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
