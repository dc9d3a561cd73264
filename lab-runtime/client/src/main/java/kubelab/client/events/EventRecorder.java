package kubelab.client.events;

import kubelab.api.meta.KubeObject;

/**
 * Records events about objects on behalf of one component (client-go record.EventRecorder):
 * {@code recorder.event(pod, EventType.WARNING, "FailedScheduling", "0/3 nodes are available: ...")}.
 *
 * <p>Never blocks and never throws for delivery problems: events are queued and posted by the
 * broadcaster's thread, aggregated and rate-limited on the way; when the queue is full they are
 * dropped (and counted). The object passed is read at once (its reference fields) and not retained.
 * Thread-safe.
 */
public interface EventRecorder {
  /**
   * @param type {@link EventType#NORMAL} or {@link EventType#WARNING}
   * @param reason short UpperCamelCase machine-readable reason ("Scheduled", "FailedScheduling")
   * @param message human-readable description
   */
  void event(KubeObject object, String type, String reason, String message);

  /** {@link #event} with {@code String.format(messageFmt, args)}. */
  default void eventf(KubeObject object, String type, String reason, String messageFmt, Object... args) {
    event(object, type, reason, String.format(messageFmt, args));
  }
}
