package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.validation.FieldError;

/**
 * What is particular about one kind when it is created, updated or deleted (Kubernetes' REST
 * strategies: PrepareForCreate, PrepareForUpdate, Validate, ValidateUpdate, CheckGracefulDelete).
 *
 * <p>The generic parts (server-set metadata, status carried over on updates of the main resource,
 * generation bumps, finalizers) live in the REST handlers; a strategy only adds what the kind
 * needs. Implementations are stateless and thread-safe.
 */
public interface Strategy {
  /** After defaults and server metadata, before validation, on create (e.g. a pod's initial status). */
  default void prepareForCreate(ObjectNode obj) {}

  /** On update of the main resource, before validation. */
  default void prepareForUpdate(ObjectNode obj, ObjectNode old) {}

  /** Field errors of a new object (metadata is validated generically before this). */
  default List<FieldError> validate(ObjectNode obj) {
    return List.of();
  }

  /** Field errors of an update (immutable fields, allowed transitions). */
  default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return validate(obj);
  }

  /** Field errors of a status update. */
  default List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
    return List.of();
  }

  /**
   * The grace period of a delete: 0 deletes at once; more sets deletionTimestamp and leaves the
   * object for its owner (the kubelet, for pods) to finish.
   *
   * @param requested the client's gracePeriodSeconds, or null
   */
  default long gracePeriodSeconds(ObjectNode obj, Long requested) {
    return 0;
  }

  /** Whether PUT may create a missing object. */
  default boolean allowCreateOnUpdate() {
    return false;
  }

  /** Whether an update without resourceVersion is accepted (last writer wins). */
  default boolean allowUnconditionalUpdate() {
    return true;
  }

  /**
   * Called when a delete marks the object with deletionTimestamp; returns true if the object
   * must stay until something outside metadata.finalizers lets it go (a namespace waits for its
   * spec.finalizers, emptied by the namespace controller through /finalize).
   */
  default boolean holdOnDelete(ObjectNode obj) {
    return false;
  }

  /** Whether the object still waits for something besides metadata.finalizers (see holdOnDelete). */
  default boolean heldForDeletion(ObjectNode obj) {
    return false;
  }

  /** The propagation policy of a delete that names none. */
  default String defaultPropagationPolicy() {
    return "Background";
  }

  /** A strategy that adds nothing. */
  Strategy GENERIC = new Strategy() {};
}
