package kubelab.scheduler.queue;

import java.time.Instant;
import java.util.List;

/**
 * What is in the three parts of the queue at one moment, for `lab scheduler queue` and tests.
 *
 * @param active pods ready to be scheduled, in pop order
 * @param backoff pods waiting out their back-off, soonest first
 * @param unschedulable pods waiting for a cluster event (or the 5-minute flush), incl. gated ones
 */
public record QueueSnapshot(List<Entry> active, List<Entry> backoff, List<Entry> unschedulable) {
  /**
   * One queued pod.
   *
   * @param readyAt when a backing-off pod may return to activeQ (null elsewhere)
   * @param rejectedBy plugins that rejected it last (what events it waits for)
   */
  public record Entry(String pod, int priority, int attempts, Instant readyAt, List<String> rejectedBy, boolean gated) {}
}
