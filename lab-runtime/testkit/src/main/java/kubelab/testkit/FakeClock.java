package kubelab.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that only moves when a test says so.
 *
 * <p>Components take a {@code Clock} (kubelet back-off, controller resyncs, the scheduler's back-off
 * queue); tests hand them one of these and call {@link #advance(Duration)} instead of sleeping, as
 * client-go's fake clock does. Thread-safe: reads and advances may come from any thread.
 */
public final class FakeClock extends Clock {
  private volatile Instant now;
  private final ZoneId zone;

  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  private FakeClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  /** Moves time forward; a negative duration is a test bug and is refused. */
  public synchronized void advance(Duration d) {
    if (d.isNegative()) throw new IllegalArgumentException("time does not go backwards: " + d);
    now = now.plus(d);
  }

  public synchronized void set(Instant t) {
    now = t;
  }

  @Override public Instant instant() { return now; }
  @Override public ZoneId getZone() { return zone; }
  @Override public Clock withZone(ZoneId z) { return new FakeClock(now, z); }
}
