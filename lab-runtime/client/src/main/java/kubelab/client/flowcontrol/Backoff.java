package kubelab.client.flowcontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter and a quiet-period reset, read off an injected {@link Clock}:
 * client-go's {@code ExponentialBackoffManager}, which the reflector uses between failed
 * list-and-watch attempts (800 ms doubling to 30 s, jitter 1.0, reset after 2 minutes).
 *
 * <p>{@link #next()} returns the wait for this failure: the current step plus up to
 * {@code jitter × step} at random, and doubles the step for the next failure up to the cap. If the
 * previous call was more than {@code resetAfter} ago (by the clock), the step is back at the
 * initial value: a component that has been healthy for a while starts its back-off afresh.
 *
 * <p>Pure apart from the clock and the seeded random generator. Thread-safe.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final double factor;
  private final double jitter;
  private final Duration resetAfter;
  private final Clock clock;
  private final RandomGenerator random;
  private Duration step;
  private Instant lastBackoff;

  public Backoff(Duration initial, Duration max, double factor, double jitter, Duration resetAfter,
      Clock clock, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial must be positive");
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max < initial");
    if (factor < 1) throw new IllegalArgumentException("factor must be >= 1");
    this.initial = initial;
    this.max = max;
    this.factor = factor;
    this.jitter = jitter;
    this.resetAfter = resetAfter;
    this.clock = clock;
    this.random = random;
    this.step = initial;
  }

  /** The wait before the next attempt, after a failure (or, for a sliding loop, after any run). */
  public synchronized Duration next() {
    Instant now = clock.instant();
    if (lastBackoff != null && Duration.between(lastBackoff, now).compareTo(resetAfter) > 0) {
      step = initial;
    }
    lastBackoff = now;
    Duration wait = step;
    if (jitter > 0) wait = wait.plusNanos((long) (random.nextDouble() * jitter * wait.toNanos()));
    long grown = (long) Math.min((double) max.toNanos(), step.toNanos() * factor);
    step = Duration.ofNanos(grown);
    return wait;
  }

  /** Forgets past failures: the next wait is the initial one. */
  public synchronized void reset() {
    step = initial;
    lastBackoff = null;
  }

  /** The step (before jitter) that the next call would use, ignoring the reset; for tests and logs. */
  public synchronized Duration currentStep() {
    return step;
  }
}
