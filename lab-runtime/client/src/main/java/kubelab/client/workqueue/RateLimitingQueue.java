package kubelab.client.workqueue;

import java.time.Clock;

/**
 * A {@link WorkQueue} whose failed items come back after a delay chosen by a {@link RateLimiter}
 * (client-go's RateLimitingInterface). The controller loop is:
 *
 * <pre>{@code
 * String key = queue.get();            // null: shut down, exit
 * try {
 *   reconcile(key);
 *   queue.forget(key);                 // success: reset its back-off
 * } catch (Exception e) {
 *   queue.addRateLimited(key);         // failure: retry after 5 ms, 10 ms, 20 ms, ...
 * } finally {
 *   queue.done(key);                   // always
 * }
 * }</pre>
 *
 * <p>Thread-safe; only {@link #get()} blocks.
 */
public class RateLimitingQueue<T> extends WorkQueue<T> {
  private final RateLimiter<T> rateLimiter;

  public RateLimitingQueue(String name, RateLimiter<T> rateLimiter, Clock clock) {
    super(name, clock);
    this.rateLimiter = rateLimiter;
  }

  /** A queue with client-go's default controller rate limiter on the given clock. */
  public static <T> RateLimitingQueue<T> withDefaults(String name, Clock clock) {
    return new RateLimitingQueue<>(name, RateLimiter.defaultControllerRateLimiter(clock), clock);
  }

  /** Adds {@code item} after the delay the rate limiter chooses for its next failure. */
  public void addRateLimited(T item) {
    if (shuttingDown()) return;
    countRetry();
    addAfter(item, rateLimiter.when(item));
  }

  /** Clears {@code item}'s failure history in the rate limiter (it does not remove it from the queue). */
  public void forget(T item) {
    rateLimiter.forget(item);
  }

  /** Failures the rate limiter has counted for {@code item}. */
  public int numRequeues(T item) {
    return rateLimiter.numRequeues(item);
  }
}
