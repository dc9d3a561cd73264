package kubelab.scheduler.framework;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * A pod in the scheduling queue: its PodInfo plus queue bookkeeping (when it was queued, how many
 * times it was tried, which plugins rejected it last). Owned by the queue; the scheduling thread
 * reads it after popping. (Kubernetes' framework.QueuedPodInfo.)
 */
public final class QueuedPodInfo {
  private PodInfo podInfo;
  /** When the pod was last added to (or moved within) the queue; orders equal priorities. */
  public Instant timestamp;
  /** When the pod first entered the queue (for the scheduling SLI latency). */
  public final Instant initialAttemptTimestamp;
  /** Scheduling attempts so far; drives the back-off. */
  public int attempts;
  /** Plugins that rejected the pod in its last attempt; events of theirs requeue it. */
  public final Set<String> unschedulablePlugins = new HashSet<>();
  /** Plugins that returned PENDING (e.g. waiting for a gate). */
  public final Set<String> pendingPlugins = new HashSet<>();
  /** Blocked by a PreEnqueue plugin (scheduling gates); never reaches activeQ while true. */
  public boolean gated;
  /** The PreEnqueue plugin that blocked it, for `lab scheduler queue`. */
  public String gatingPlugin;
  /** Order of arrival in activeQ: the last tie-breaker, so equal pods pop first-in first-out. */
  public long sequence;

  public QueuedPodInfo(PodInfo podInfo, Instant now) {
    this.podInfo = podInfo;
    this.timestamp = now;
    this.initialAttemptTimestamp = now;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  /** Replaces the pod after an update (the PodInfo is recomputed by the caller). */
  public void update(PodInfo p) {
    this.podInfo = p;
  }

  public String key() {
    return podInfo.key();
  }

  @Override
  public String toString() {
    return podInfo.key() + "{attempts=" + attempts + ", rejectedBy=" + unschedulablePlugins + "}";
  }
}
