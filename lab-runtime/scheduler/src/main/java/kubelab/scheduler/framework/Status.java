package kubelab.scheduler.framework;

import java.util.List;

/**
 * The result of running a plugin at an extension point: a code, the reasons (fragments that end up
 * in the "0/N nodes are available" line) and the plugin that produced it.
 *
 * <p>Kubernetes' framework.Status, with the same codes. {@link #SUCCESS} is shared and has no
 * plugin; a plugin may also return {@code null}, which the framework reads as success (the Go
 * code's nil status). Immutable and thread-safe.
 */
public record Status(Code code, List<String> reasons, String plugin) {

  /** Status codes, in Kubernetes' order. */
  public enum Code {
    /** The plugin ran and the pod may go on (nil status in Go). */
    SUCCESS("Success"),
    /** An internal error: the pod is retried with back-off, not reported as unschedulable. */
    ERROR("Error"),
    /** The node does not fit now, but preempting pods on it might help. */
    UNSCHEDULABLE("Unschedulable"),
    /** The node does not fit and preemption cannot change that (taints, selectors, ...). */
    UNSCHEDULABLE_AND_UNRESOLVABLE("UnschedulableAndUnresolvable"),
    /** Permit: hold the pod before binding until allowed or timed out. */
    WAIT("Wait"),
    /** PreFilter/PreScore: this plugin has nothing to check for this pod; skip its Filter/Score. */
    SKIP("Skip"),
    /** The pod waits for something outside the scheduler (e.g. a gate); retried on events only. */
    PENDING("Pending");

    private final String kubernetesName;

    Code(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The name Kubernetes prints for this code ("UnschedulableAndUnresolvable"). */
    public String kubernetesName() {
      return kubernetesName;
    }
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
  public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

  public Status {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }

  public static Status of(Code code, String... reasons) {
    return new Status(code, List.of(reasons), null);
  }

  public static Status unschedulable(String... reasons) {
    return of(Code.UNSCHEDULABLE, reasons);
  }

  public static Status unresolvable(String... reasons) {
    return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
  }

  public static Status error(String message) {
    return of(Code.ERROR, message);
  }

  /** Normalizes a plugin's return value: {@code null} is success. */
  public static Status orSuccess(Status s) {
    return s == null ? SUCCESS : s;
  }

  public boolean isSuccess() {
    return code == Code.SUCCESS;
  }

  public boolean isSkip() {
    return code == Code.SKIP;
  }

  /** Unschedulable, unresolvable or pending: the pod was turned away rather than failing. */
  public boolean isRejected() {
    return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
  }

  /** The reasons joined with ", " (Status.Message()). */
  public String message() {
    return String.join(", ", reasons);
  }

  /** The same status attributed to {@code name} (the framework records who rejected a node). */
  public Status withPlugin(String name) {
    return java.util.Objects.equals(name, plugin) ? this : new Status(code, reasons, name);
  }

  @Override
  public String toString() {
    return code.kubernetesName() + (plugin == null ? "" : " (" + plugin + ")")
        + (reasons.isEmpty() ? "" : ": " + message());
  }
}
