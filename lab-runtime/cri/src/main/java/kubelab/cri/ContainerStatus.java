package kubelab.cri;

import java.util.Map;

/**
 * {@code ContainerStatus}: what the kubelet reads to build a pod's containerStatuses. Times are
 * nanoseconds since the epoch (0 = not yet). {@code reason} is set once the container exited:
 * {@link Reasons#OOM_KILLED}, {@link Reasons#COMPLETED} or {@link Reasons#ERROR}, as containerd
 * reports them.
 */
public record ContainerStatus(
    String id,
    ContainerConfig.Metadata metadata,
    State state,
    long createdAt,
    long startedAt,
    long finishedAt,
    int exitCode,
    String image,
    String imageRef,
    String reason,
    String message,
    Map<String, String> labels,
    Map<String, String> annotations,
    String logPath) {

  /** {@code ContainerState}. */
  public enum State { CONTAINER_CREATED, CONTAINER_RUNNING, CONTAINER_EXITED, CONTAINER_UNKNOWN }

  /** One row of {@code ListContainers}. */
  public record Container(String id, String podSandboxId, ContainerConfig.Metadata metadata, String image,
                          String imageRef, State state, long createdAt, Map<String, String> labels,
                          Map<String, String> annotations) {}

  /** {@code ContainerFilter}: null fields match everything; labels must all match. */
  public record Filter(String id, State state, String podSandboxId, Map<String, String> labelSelector) {
    public static final Filter ALL = new Filter(null, null, null, Map.of());

    public boolean matches(String cid, State s, String sandbox, Map<String, String> labels) {
      if (id != null && !id.equals(cid)) return false;
      if (state != null && state != s) return false;
      if (podSandboxId != null && !podSandboxId.equals(sandbox)) return false;
      if (labelSelector != null)
        for (var e : labelSelector.entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      return true;
    }
  }

  /** Termination reasons, as containerd's CRI plugin sets them (containerd 1.7, Kubernetes 1.32). */
  public static final class Reasons {
    private Reasons() {}

    public static final String COMPLETED = "Completed";
    public static final String ERROR = "Error";
    public static final String OOM_KILLED = "OOMKilled";
    public static final String START_ERROR = "StartError";
    /** The exit code containerd reports with StartError (the process never ran). */
    public static final int START_ERROR_EXIT_CODE = 128;
  }
}
