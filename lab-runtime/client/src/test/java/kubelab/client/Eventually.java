package kubelab.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting for tests of threaded code (MicroRaft-style eventually): polls, never sleeps blindly. */
public final class Eventually {
  private Eventually() {}

  public static void await(String what, Duration timeout, BooleanSupplier cond) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  public static void await(String what, BooleanSupplier cond) {
    await(what, Duration.ofSeconds(10), cond);
  }

  /** Waits until {@code cond} holds, then reports {@code detail} in the failure message if it never does. */
  public static void await(Supplier<String> detail, Duration timeout, BooleanSupplier cond) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + ": " + detail.get());
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
