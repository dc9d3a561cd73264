package kubelab.client.workqueue;

import java.time.Duration;

/**
 * A snapshot of one work queue's metrics, the ones client-go exports per queue name.
 *
 * @param depth keys waiting for a worker ({@code workqueue_depth})
 * @param delayed keys waiting for their delay to pass (addAfter / addRateLimited)
 * @param processing keys held by workers ({@code workqueue_unfinished_work} counts these)
 * @param adds total add calls, including dedup'ed ones ({@code workqueue_adds_total})
 * @param retries total rate-limited re-adds ({@code workqueue_retries_total})
 * @param meanQueueLatency mean time from add to get ({@code workqueue_queue_duration_seconds})
 * @param maxQueueLatency longest time from add to get so far
 * @param meanWorkDuration mean time from get to done ({@code workqueue_work_duration_seconds})
 * @param longestRunning how long the oldest in-flight key has been processed
 *     ({@code workqueue_longest_running_processor_seconds})
 */
public record QueueMetrics(String name, int depth, int delayed, int processing, long adds, long retries,
    Duration meanQueueLatency, Duration maxQueueLatency, Duration meanWorkDuration, Duration longestRunning) {}
