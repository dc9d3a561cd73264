package kubelab.scheduler.framework;

import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;

/**
 * Every write the scheduler makes to the cluster: bindings, events, pod status, victim deletion
 * and volume binding. The informer-backed scheduler implements it with the REST client against
 * the API server; the in-process benchmark and pure tests use {@code InMemoryApi}, which records
 * the writes and answers them at once.
 *
 * <p>Methods may block on the network and are called from the binding threads as well as the
 * scheduling thread; implementations must be thread-safe. Failures are thrown as runtime
 * exceptions whose message says what failed; the scheduler turns them into ERROR statuses and
 * retries the pod.
 */
public interface ApiWriter {
  /** POST pods/NAME/binding with target {@code nodeName}. */
  void bind(Pod pod, String nodeName);

  /**
   * Records an event about {@code regarding} (reason "Scheduled", "FailedScheduling",
   * "Preempted"); {@code type} is "Normal" or "Warning"; {@code action} as events.k8s.io has it.
   */
  void event(Pod regarding, String type, String reason, String action, String message);

  /**
   * Updates the pod's status: sets {@code condition} (PodScheduled) and, when
   * {@code nominatedNodeName} is not null, {@code status.nominatedNodeName} ("" clears it).
   */
  void updatePodStatus(Pod pod, Condition condition, String nominatedNodeName);

  /** Deletes a preemption victim with its grace period (graceful deletion, as the seeds say). */
  void deletePod(Pod pod, long gracePeriodSeconds);

  /** Binds a volume to a claim (VolumeBinding's PreBind): sets claimRef and volumeName. */
  void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc);
}
