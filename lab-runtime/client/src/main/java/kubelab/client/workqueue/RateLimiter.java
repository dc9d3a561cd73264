package kubelab.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import kubelab.client.Params;
import kubelab.client.flowcontrol.TokenBucket;

/**
 * Decides how long an item waits before it is retried (client-go workqueue.TypedRateLimiter).
 *
 * <p>{@link #when} is called once per failure and may change state (a per-item failure count, a
 * token taken from a bucket); {@link #forget} clears an item's history once it succeeded.
 * Implementations are thread-safe.
 */
public interface RateLimiter<T> {
  /** The delay before {@code item} is retried; counts one more failure for it. */
  Duration when(T item);

  /** Stops tracking {@code item}: the next failure starts from the base delay again. */
  void forget(T item);

  /** Failures counted for {@code item} since the last {@link #forget}. */
  int numRequeues(T item);

  /**
   * client-go's DefaultControllerRateLimiter: the larger of a per-item exponential back-off (5 ms
   * doubling to 1000 s) and an overall 10 qps / 100 burst token bucket.
   */
  static <T> RateLimiter<T> defaultControllerRateLimiter(Clock clock) {
    return new MaxOfRateLimiter<>(
        new ItemExponentialFailureRateLimiter<>(Params.ITEM_BACKOFF_BASE, Params.ITEM_BACKOFF_MAX),
        new BucketRateLimiter<>(new TokenBucket(Params.QUEUE_BUCKET_QPS, Params.QUEUE_BUCKET_BURST, clock)));
  }
}
