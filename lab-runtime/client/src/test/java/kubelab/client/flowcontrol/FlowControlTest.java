package kubelab.client.flowcontrol;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.Test;

/** Token bucket and exponential back-off, driven by a fake clock. */
class FlowControlTest {
  final FakeClock clock = new FakeClock();

  @Test void bucketStartsFullAndRefillsAtQpsUpToBurst() {
    TokenBucket b = new TokenBucket(2, 3, clock);
    assertTrue(b.tryAcquire());
    assertTrue(b.tryAcquire());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire());
    clock.advance(Duration.ofMillis(500));
    assertTrue(b.tryAcquire(), "one token after 1/qps");
    assertFalse(b.tryAcquire());
    clock.advance(Duration.ofHours(1));
    assertEquals(3.0, b.available(), 1e-9, "never more than burst");
  }

  @Test void acquireSleepsForTheDeficit() throws Exception {
    TokenBucket b = new TokenBucket(10, 1, clock);
    List<Duration> slept = new ArrayList<>();
    Sleeper s = d -> { slept.add(d); clock.advance(d); };
    b.acquire(s);
    b.acquire(s);
    b.acquire(s);
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), slept);
  }

  @Test void unlimitedBucketNeverWaits() {
    TokenBucket b = TokenBucket.unlimited();
    for (int i = 0; i < 10_000; i++) assertEquals(Duration.ZERO, b.reserve());
  }

  @Test void backoffDoublesToTheCapWithoutJitter() {
    Backoff b = new Backoff(Duration.ofMillis(800), Duration.ofSeconds(30), 2, 0, Duration.ofMinutes(2),
        clock, RandomGenerator.of("L64X128MixRandom"));
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < 8; i++) ms.add(b.next().toMillis());
    assertEquals(List.of(800L, 1600L, 3200L, 6400L, 12800L, 25600L, 30000L, 30000L), ms);
  }

  @Test void backoffResetsAfterAQuietPeriod() {
    Backoff b = new Backoff(Duration.ofMillis(800), Duration.ofSeconds(30), 2, 0, Duration.ofMinutes(2),
        clock, RandomGenerator.of("L64X128MixRandom"));
    b.next();
    b.next();
    clock.advance(Duration.ofMinutes(1));
    assertEquals(Duration.ofMillis(3200), b.next(), "within the reset window it keeps growing");
    clock.advance(Duration.ofMinutes(2).plusMillis(1));
    assertEquals(Duration.ofMillis(800), b.next(), "quiet for longer than resetAfter");
  }

  @Test void backoffJitterStaysWithinStepAndTwiceTheStep() {
    Backoff b = new Backoff(Duration.ofMillis(800), Duration.ofSeconds(30), 2, 1.0, Duration.ofMinutes(2),
        clock, RandomGenerator.of("L64X128MixRandom"));
    Duration d = b.next();
    assertTrue(d.compareTo(Duration.ofMillis(800)) >= 0 && d.compareTo(Duration.ofMillis(1600)) < 0, d.toString());
    d = b.next();
    assertTrue(d.compareTo(Duration.ofMillis(1600)) >= 0 && d.compareTo(Duration.ofMillis(3200)) < 0, d.toString());
  }
}
