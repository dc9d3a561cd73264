package kubelab.cri;

import java.util.Map;

/**
 * {@code PodSandboxConfig}: what the kubelet asks for when it runs a pod's sandbox.
 *
 * @param metadata     name, uid, namespace and attempt of the pod
 * @param hostname     the pod's hostname (UTS namespace)
 * @param logDirectory where the containers' logs go ({@code /var/log/pods/<ns>_<name>_<uid>})
 * @param linux        cgroup parent and namespace options
 */
public record PodSandboxConfig(
    Metadata metadata,
    String hostname,
    String logDirectory,
    Map<String, String> labels,
    Map<String, String> annotations,
    Linux linux) {

  public PodSandboxConfig {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    if (linux == null) linux = Linux.DEFAULT;
  }

  /** {@code PodSandboxMetadata}. */
  public record Metadata(String name, String uid, String namespace, int attempt) {}

  /** {@code LinuxPodSandboxConfig}: the pod cgroup's parent and which namespaces are shared how. */
  public record Linux(String cgroupParent, NamespaceOptions namespaceOptions) {
    public static final Linux DEFAULT = new Linux(null, NamespaceOptions.DEFAULT);
  }

  /**
   * {@code NamespaceOption}: POD shares the namespace among the pod's containers (the default
   * for network and IPC), CONTAINER gives each container its own (the default for pid), NODE
   * uses the host's (hostNetwork, hostPID, hostIPC).
   */
  public record NamespaceOptions(NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) {
    public static final NamespaceOptions DEFAULT =
        new NamespaceOptions(NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD);
  }

  /** {@code NamespaceMode}. */
  public enum NamespaceMode { POD, CONTAINER, NODE }
}
