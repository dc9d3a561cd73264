package kubelab.scheduler.queue;

import java.time.Duration;

/**
 * Per-pod exponential back-off: after its n-th failed attempt a pod waits
 * {@code initial × 2^(n−1)}, capped at {@code max} (kube-scheduler: 1 s doubling to 10 s).
 * Stateless; the attempt count lives in the QueuedPodInfo.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 <= initial <= max, got " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
  }

  /** The back-off after {@code attempts} attempts (0 or 1 attempt: the initial back-off). */
  public Duration duration(int attempts) {
    Duration d = initial;
    for (int i = 1; i < attempts; i++) {
      d = d.multipliedBy(2);
      if (d.compareTo(max) > 0) return max;
    }
    return d;
  }

  public Duration initial() {
    return initial;
  }

  public Duration max() {
    return max;
  }
}
