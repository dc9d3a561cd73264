package kubelab.client.workqueue;

import java.time.Duration;
import kubelab.client.flowcontrol.TokenBucket;

/**
 * An overall limit on retries across all items: each {@link #when} takes a token from one shared
 * bucket and returns how long until that token is due (client-go BucketRateLimiter). It keeps no
 * per-item state, so {@link #forget} does nothing and {@link #numRequeues} is always 0.
 * Thread-safe.
 */
public final class BucketRateLimiter<T> implements RateLimiter<T> {
  private final TokenBucket bucket;

  public BucketRateLimiter(TokenBucket bucket) {
    this.bucket = bucket;
  }

  @Override public Duration when(T item) {
    return bucket.reserve();
  }

  @Override public void forget(T item) {}

  @Override public int numRequeues(T item) {
    return 0;
  }
}
