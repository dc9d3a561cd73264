package kubelab.apiserver.admission;

/**
 * One admission controller (kube-apiserver's --enable-admission-plugins). Mutating plugins change
 * the object in {@link #admit}; validating plugins refuse in {@link #validate} by throwing an
 * {@link kubelab.apiserver.ApiError} (usually 403 Forbidden with the plugin's reason).
 *
 * <p>Order matters and follows Kubernetes 1.32's recommended order; see {@link Admission}.
 * Plugins are called concurrently for different requests and must be thread-safe.
 */
public interface AdmissionPlugin {
  String name();

  /** Mutating phase: may change {@code request.object()}. */
  default void admit(AdmissionRequest request) {}

  /** Validating phase: may only refuse. */
  default void validate(AdmissionRequest request) {}
}
