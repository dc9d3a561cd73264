package kubelab.client.flowcontrol;

import java.time.Duration;

/**
 * How a component waits. Production code sleeps on the wall clock; a test hands in a sleeper that
 * advances a {@code FakeClock} and records the wait instead, so back-off and retry loops run
 * without real sleeps (client-go's fake clock plays the same role for its wait package).
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code d} (or returns early if interrupted, throwing). */
  void sleep(Duration d) throws InterruptedException;

  /** Thread.sleep with nanosecond precision. */
  Sleeper REAL = d -> {
    if (d.isNegative() || d.isZero()) return;
    long nanos = d.toNanos();
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  };
}
