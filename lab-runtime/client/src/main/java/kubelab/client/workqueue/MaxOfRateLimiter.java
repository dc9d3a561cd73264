package kubelab.client.workqueue;

import java.time.Duration;
import java.util.List;

/**
 * Combines limiters: the delay is the longest any of them asks for, every one of them counts the
 * failure, and {@link #numRequeues} is the largest count (client-go MaxOfRateLimiter).
 * Thread-safe if its parts are.
 */
public final class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private final List<RateLimiter<T>> limiters;

  public MaxOfRateLimiter(List<RateLimiter<T>> limiters) {
    if (limiters.isEmpty()) throw new IllegalArgumentException("at least one limiter");
    this.limiters = List.copyOf(limiters);
  }

  public MaxOfRateLimiter(RateLimiter<T> a, RateLimiter<T> b) {
    this(List.of(a, b));
  }

  @Override public Duration when(T item) {
    Duration max = Duration.ZERO;
    for (RateLimiter<T> l : limiters) {
      Duration d = l.when(item);
      if (d.compareTo(max) > 0) max = d;
    }
    return max;
  }

  @Override public void forget(T item) {
    for (RateLimiter<T> l : limiters) l.forget(item);
  }

  @Override public int numRequeues(T item) {
    int max = 0;
    for (RateLimiter<T> l : limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}
