package kubelab.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelizerTest {
  @Test
  void everyIndexIsProcessedExactlyOnce() {
    try (Parallelizer p = new Parallelizer(4)) {
      for (int round = 0; round < 200; round++) {
        AtomicIntegerArray seen = new AtomicIntegerArray(1000);
        int processed = p.until(1000, i -> {
          seen.incrementAndGet(i);
          return true;
        });
        assertEquals(1000, processed);
        for (int i = 0; i < 1000; i++) assertEquals(1, seen.get(i), "index " + i);
      }
    }
  }

  @Test
  void returningFalseStopsTheLoopAndTheProcessedPrefixIsContiguous() {
    try (Parallelizer p = new Parallelizer(3)) {
      AtomicIntegerArray seen = new AtomicIntegerArray(10_000);
      int processed = p.until(10_000, i -> {
        seen.set(i, 1);
        return i < 100;
      });
      assertTrue(processed >= 101 && processed < 10_000, "stopped early: " + processed);
      for (int i = 0; i < processed; i++) assertEquals(1, seen.get(i), "prefix index " + i);
      for (int i = processed; i < 10_000; i++) assertEquals(0, seen.get(i), "beyond the prefix " + i);
    }
  }

  @Test
  void anExceptionInTheBodyReachesTheCaller() {
    try (Parallelizer p = new Parallelizer(2)) {
      AtomicInteger n = new AtomicInteger();
      var e = assertThrows(IllegalStateException.class, () -> p.until(1000, i -> {
        if (n.incrementAndGet() == 50) throw new IllegalStateException("boom at " + i);
        return true;
      }));
      assertTrue(e.getMessage().startsWith("boom"));
    }
  }
}
