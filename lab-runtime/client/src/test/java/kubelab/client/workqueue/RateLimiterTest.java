package kubelab.client.workqueue;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import kubelab.client.flowcontrol.TokenBucket;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.Test;

/** The rate limiters behind addRateLimited, with client-go's defaults. */
class RateLimiterTest {
  final FakeClock clock = new FakeClock();

  @Test void perItemBackoffDoublesFrom5msTo1000s() {
    var rl = new ItemExponentialFailureRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    assertEquals(Duration.ofMillis(5), rl.when("a"));
    assertEquals(Duration.ofMillis(10), rl.when("a"));
    assertEquals(Duration.ofMillis(20), rl.when("a"));
    assertEquals(Duration.ofMillis(5), rl.when("b"), "items are independent");
    assertEquals(3, rl.numRequeues("a"));
    Duration d = Duration.ZERO;
    for (int i = 0; i < 100; i++) d = rl.when("a");
    assertEquals(Duration.ofSeconds(1000), d, "capped");
    rl.forget("a");
    assertEquals(0, rl.numRequeues("a"));
    assertEquals(Duration.ofMillis(5), rl.when("a"), "forget resets the back-off");
  }

  @Test void perItemBackoffReachesTheCapAtThe19thFailure() {
    var rl = new ItemExponentialFailureRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    Duration d = null;
    for (int i = 0; i < 18; i++) d = rl.when("a");
    assertEquals(Duration.ofNanos(5_000_000L * (1L << 17)), d); // 655.36 s
    assertEquals(Duration.ofSeconds(1000), rl.when("a"));
  }

  @Test void bucketAllowsBurstThenSpacesAtQps() {
    var rl = new BucketRateLimiter<String>(new TokenBucket(10, 100, clock));
    for (int i = 0; i < 100; i++) assertEquals(Duration.ZERO, rl.when("k" + i), "burst " + i);
    assertEquals(Duration.ofMillis(100), rl.when("x"));
    assertEquals(Duration.ofMillis(200), rl.when("y"));
    clock.advance(Duration.ofSeconds(1));
    // 10 tokens flowed in; 2 were owed
    for (int i = 0; i < 8; i++) assertEquals(Duration.ZERO, rl.when("z" + i));
    assertEquals(Duration.ofMillis(100), rl.when("w"));
  }

  @Test void defaultControllerLimiterTakesTheMaxOfBothParts() {
    RateLimiter<String> rl = RateLimiter.defaultControllerRateLimiter(clock);
    assertEquals(Duration.ofMillis(5), rl.when("a"));
    for (int i = 0; i < 98; i++) rl.when("other" + i); // drain the bucket: 99 of 100 spent + this
    assertEquals(Duration.ofMillis(5), rl.when("b"), "100th token still free");
    assertEquals(Duration.ofMillis(100), rl.when("c"), "bucket dominates once empty");
    assertEquals(Duration.ofMillis(200), rl.when("a"), "bucket 200ms > item 10ms");
    assertEquals(2, rl.numRequeues("a"));
  }

  @Test void rateLimitingQueueRetriesAfterTheBackoff() throws Exception {
    var q = new RateLimitingQueue<String>("t",
        new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000)), clock);
    q.add("a");
    String k = q.get();
    q.addRateLimited(k);            // failure 1: 5 ms
    q.done(k);
    assertEquals(0, q.len());
    clock.advance(Duration.ofMillis(5));
    assertEquals(1, q.len());
    k = q.get();
    q.addRateLimited(k);            // failure 2: 10 ms
    q.done(k);
    clock.advance(Duration.ofMillis(9));
    assertEquals(0, q.len());
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, q.len());
    assertEquals(2, q.numRequeues("a"));
    assertEquals(2, q.metrics().retries());
    q.forget("a");
    assertEquals(0, q.numRequeues("a"));
  }
}
