package kubelab.client.workqueue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-item exponential back-off: the n-th failure of an item (counting from 0) waits
 * {@code base × 2^n}, capped at {@code max} (client-go ItemExponentialFailureRateLimiter). With the
 * defaults: 5 ms, 10 ms, 20 ms, ... reaching the 1000 s cap at the 18th failure. Items do not
 * influence each other. Thread-safe.
 */
public final class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private final Duration base;
  private final Duration max;
  private final ConcurrentHashMap<T, Integer> failures = new ConcurrentHashMap<>();

  public ItemExponentialFailureRateLimiter(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  @Override public Duration when(T item) {
    int exp = failures.merge(item, 1, Integer::sum) - 1;
    // base * 2^exp without overflow: past ~62 doublings anything is beyond the cap
    if (exp >= 62) return max;
    double nanos = base.toNanos() * Math.pow(2, exp);
    if (nanos >= max.toNanos()) return max;
    return Duration.ofNanos((long) nanos);
  }

  @Override public void forget(T item) {
    failures.remove(item);
  }

  @Override public int numRequeues(T item) {
    return failures.getOrDefault(item, 0);
  }
}
