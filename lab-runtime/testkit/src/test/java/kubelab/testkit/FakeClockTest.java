package kubelab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  @Test
  void timeMovesOnlyWhenAdvanced() {
    FakeClock c = new FakeClock(Instant.EPOCH);
    assertEquals(Instant.EPOCH, c.instant());
    c.advance(Duration.ofSeconds(10));
    assertEquals(10_000, c.millis());
    assertThrows(IllegalArgumentException.class, () -> c.advance(Duration.ofSeconds(-1)));
  }
}
