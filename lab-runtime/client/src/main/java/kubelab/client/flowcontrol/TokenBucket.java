package kubelab.client.flowcontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket read off an injected {@link Clock}: {@code qps} tokens a second flow in, at most
 * {@code burst} are kept, each request takes one.
 *
 * <p>Two ways to use it. {@link #reserve()} always takes a token, letting the balance go negative,
 * and answers how long the caller must wait before acting: the work queue's {@code BucketRateLimiter}
 * turns that into a delay, exactly as client-go does with golang.org/x/time/rate's
 * {@code Reserve().Delay()}. {@link #acquire(Sleeper)} reserves and then sleeps the wait: the REST
 * client's QPS/burst limiter (client-go's {@code flowcontrol.NewTokenBucketRateLimiter}). The bucket
 * starts full, so the first {@code burst} requests go at once.
 *
 * <p>A non-positive or infinite qps means "no limit". Thread-safe.
 */
public final class TokenBucket {
  private final double qps;
  private final int burst;
  private final Clock clock;
  private double tokens;
  private Instant last;

  public TokenBucket(double qps, int burst, Clock clock) {
    if (burst < 1 && qps > 0 && !Double.isInfinite(qps)) {
      throw new IllegalArgumentException("burst must be at least 1 when qps is limited: " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.instant();
  }

  /** A bucket that never makes anyone wait. */
  public static TokenBucket unlimited() {
    return new TokenBucket(0, 0, Clock.systemUTC());
  }

  public boolean isUnlimited() {
    return qps <= 0 || Double.isInfinite(qps);
  }

  public double qps() {
    return qps;
  }

  public int burst() {
    return burst;
  }

  /** Takes a token now and returns how long to wait before using it (zero if one was there). */
  public synchronized Duration reserve() {
    if (isUnlimited()) return Duration.ZERO;
    refill();
    tokens -= 1;
    if (tokens >= 0) return Duration.ZERO;
    return Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
  }

  /** Takes a token only if one is available now. */
  public synchronized boolean tryAcquire() {
    if (isUnlimited()) return true;
    refill();
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  /**
   * Takes a token, sleeping (outside the bucket's lock) until it is due. Blocks the calling thread.
   *
   * @throws InterruptedException if interrupted while waiting; the token stays spent
   */
  public void acquire(Sleeper sleeper) throws InterruptedException {
    Duration wait = reserve();
    if (!wait.isZero()) sleeper.sleep(wait);
  }

  /** Tokens available now (may be negative after reservations), for tests and metrics. */
  public synchronized double available() {
    if (isUnlimited()) return Double.POSITIVE_INFINITY;
    refill();
    return tokens;
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      double elapsed = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + elapsed * qps);
      last = now;
    }
  }
}
