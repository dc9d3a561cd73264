package kubelab.cri;

import java.util.Map;

/**
 * {@code PodSandboxStatus}: a sandbox's state, its IP and the namespaces it holds.
 *
 * @param createdAt nanoseconds since the epoch, as CRI counts
 * @param ip        the pod IP, or "" when the pod has no network of its own
 */
public record PodSandboxStatus(
    String id,
    PodSandboxConfig.Metadata metadata,
    State state,
    long createdAt,
    String ip,
    Map<String, String> labels,
    Map<String, String> annotations) {

  /** {@code PodSandboxState}. */
  public enum State { SANDBOX_READY, SANDBOX_NOTREADY }

  /** One row of {@code ListPodSandbox}. */
  public record PodSandbox(String id, PodSandboxConfig.Metadata metadata, State state, long createdAt,
                           Map<String, String> labels, Map<String, String> annotations) {}

  /** {@code PodSandboxFilter}: null fields match everything; labels must all match. */
  public record Filter(String id, State state, Map<String, String> labelSelector) {
    public static final Filter ALL = new Filter(null, null, Map.of());

    public boolean matches(String sid, State s, Map<String, String> labels) {
      if (id != null && !id.equals(sid)) return false;
      if (state != null && state != s) return false;
      if (labelSelector != null)
        for (var e : labelSelector.entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      return true;
    }
  }
}
