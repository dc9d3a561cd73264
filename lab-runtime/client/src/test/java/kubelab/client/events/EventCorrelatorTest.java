package kubelab.client.events;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import kubelab.api.core.Event;
import kubelab.api.core.ObjectReference;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.Test;

/** client-go's correlator: repeats count up, similar events combine after 10, spam is filtered. */
class EventCorrelatorTest {
  final FakeClock clock = new FakeClock();
  final EventCorrelator c = new EventCorrelator(clock);

  Event event(String pod, String reason, String message) {
    Event e = new Event();
    e.metadata.namespace = "default";
    e.metadata.name = pod + "." + Long.toHexString(clock.millis());
    e.involvedObject = new ObjectReference("Pod", "default", pod);
    e.involvedObject.uid = "uid-" + pod;
    e.reason = reason;
    e.message = message;
    e.type = EventType.WARNING;
    e.count = 1;
    e.source = Map.of("component", "default-scheduler");
    e.firstTimestamp = e.lastTimestamp = EventBroadcaster.timestamp(clock.instant());
    return e;
  }

  @Test void aRepeatBecomesAPatchOfTheFirstEventWithCountPlusOne() {
    EventCorrelator.Result first = c.correlate(event("web", "FailedScheduling", "0/3 nodes are available"));
    assertNull(first.patch());
    assertEquals(1, first.event().count);
    String firstName = first.event().metadata.name;
    String firstTime = first.event().firstTimestamp;
    clock.advance(Duration.ofSeconds(30));
    EventCorrelator.Result second = c.correlate(event("web", "FailedScheduling", "0/3 nodes are available"));
    assertEquals(2, second.event().count);
    assertEquals(firstName, second.event().metadata.name, "patches the event already posted");
    assertEquals(firstTime, second.event().firstTimestamp);
    assertEquals("2026-01-01T00:00:30Z", second.event().lastTimestamp);
    assertEquals("{\"count\":2,\"lastTimestamp\":\"2026-01-01T00:00:30Z\",\"message\":\"0/3 nodes are available\"}",
        second.patch());
    assertFalse(second.skip());
  }

  @Test void differentObjectsOrReasonsAreNotRepeats() {
    c.correlate(event("web", "FailedScheduling", "m"));
    assertNull(c.correlate(event("db", "FailedScheduling", "m")).patch());
    assertNull(c.correlate(event("web", "Scheduled", "m")).patch());
  }

  @Test void theTenthDistinctMessageIsCombinedAndLaterOnesCountOnIt() {
    for (int i = 1; i <= 9; i++) {
      EventCorrelator.Result r = c.correlate(event("web", "FailedScheduling", "message " + i));
      assertFalse(r.event().message.startsWith("(combined"), "event " + i + " is posted as is");
    }
    EventCorrelator.Result tenth = c.correlate(event("web", "FailedScheduling", "message 10"));
    assertEquals("(combined from similar events): message 10", tenth.event().message);
    assertEquals(1, tenth.event().count);
    EventCorrelator.Result eleventh = c.correlate(event("web", "FailedScheduling", "message 11"));
    assertEquals("(combined from similar events): message 11", eleventh.event().message);
    assertEquals(2, eleventh.event().count, "the combined event counts up");
    assertEquals(tenth.event().metadata.name, eleventh.event().metadata.name);
  }

  @Test void similarEventsOutsideTheTenMinuteWindowStartAfresh() {
    for (int i = 1; i <= 9; i++) c.correlate(event("web", "FailedScheduling", "message " + i));
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    EventCorrelator.Result r = c.correlate(event("web", "FailedScheduling", "message 10"));
    assertEquals("message 10", r.event().message);
  }

  @Test void theSpamFilterAllows25PerObjectThenOneEvery5Minutes() {
    int passed = 0;
    for (int i = 0; i < 40; i++) if (!c.correlate(event("web", "R" + i, "m")).skip()) passed++;
    assertEquals(25, passed);
    assertFalse(c.correlate(event("other", "R", "m")).skip(), "another object has its own bucket");
    clock.advance(Duration.ofMinutes(5));
    assertFalse(c.correlate(event("web", "R99", "m")).skip());
    assertTrue(c.correlate(event("web", "R100", "m")).skip());
  }

  @Test void theInputEventIsNotModified() {
    Event e = event("web", "FailedScheduling", "m");
    c.correlate(e);
    EventCorrelator.Result r = c.correlate(e);
    assertEquals(1, e.count);
    assertEquals(2, r.event().count);
  }
}
