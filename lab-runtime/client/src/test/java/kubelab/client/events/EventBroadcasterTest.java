package kubelab.client.events;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.Json;
import kubelab.api.core.Event;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.client.KubeClientException;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broadcaster posts, patches repeats, retries an unreachable server and drops rejected events. */
class EventBroadcasterTest {
  final FakeClock clock = new FakeClock();
  /** Events by namespace/name, as a server would store them; patches merge count/lastTimestamp/message. */
  final Map<String, Event> stored = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();
  final EventSink sink = new EventSink() {
    @Override public synchronized Event create(Event e) {
      if (failNext.getAndDecrement() > 0) throw new KubeClientException("connection refused (injected)");
      calls.add("create " + e.reason);
      Event s = Json.read(Json.toBytes(e), Event.class);
      s.metadata.resourceVersion = Integer.toString(calls.size());
      stored.put(e.metadata.namespace + "/" + e.metadata.name, s);
      return s;
    }

    @Override public synchronized Event patch(Event e, String patch) {
      calls.add("patch " + e.reason);
      Event s = stored.get(e.metadata.namespace + "/" + e.metadata.name);
      if (s == null) throw kubelab.client.ApiException.of(404, null, "not found");
      Map<?, ?> p = Json.read(patch, Map.class);
      s.count = ((Number) p.get("count")).intValue();
      s.lastTimestamp = (String) p.get("lastTimestamp");
      s.message = (String) p.get("message");
      return s;
    }
  };
  final List<Duration> waits = new ArrayList<>();
  final EventBroadcaster broadcaster = new EventBroadcaster(sink, clock, d -> waits.add(d));

  @AfterEach void close() {
    broadcaster.close();
  }

  static Pod pod(String name) {
    Pod p = new Pod();
    p.metadata.namespace = "default";
    p.metadata.name = name;
    p.metadata.uid = "uid-" + name;
    return p;
  }

  @Test void anEventCarriesTheObjectReferenceSourceAndTimestamps() throws Exception {
    EventRecorder r = broadcaster.newRecorder("default-scheduler", "host-1");
    r.event(pod("web-0"), EventType.NORMAL, "Scheduled", "Successfully assigned default/web-0 to node-2");
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    Event e = stored.values().iterator().next();
    assertEquals("default", e.metadata.namespace);
    assertTrue(e.metadata.name.startsWith("web-0."), e.metadata.name);
    assertEquals("Pod", e.involvedObject.kind);
    assertEquals("v1", e.involvedObject.apiVersion);
    assertEquals("uid-web-0", e.involvedObject.uid);
    assertEquals("Scheduled", e.reason);
    assertEquals("Normal", e.type);
    assertEquals(Map.of("component", "default-scheduler", "host", "host-1"), e.source);
    assertEquals("default-scheduler", e.reportingComponent);
    assertEquals(1, e.count);
    assertEquals("2026-01-01T00:00:00Z", e.firstTimestamp);
  }

  @Test void repeatsPatchOneEventAndCountUp() throws Exception {
    EventRecorder r = broadcaster.newRecorder("default-scheduler", null);
    for (int i = 0; i < 5; i++) {
      r.event(pod("web"), EventType.WARNING, "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu.");
      clock.advance(Duration.ofSeconds(10));
    }
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    assertEquals(List.of("create FailedScheduling", "patch FailedScheduling", "patch FailedScheduling",
        "patch FailedScheduling", "patch FailedScheduling"), calls);
    assertEquals(1, stored.size());
    Event e = stored.values().iterator().next();
    assertEquals(5, e.count);
    assertEquals("2026-01-01T00:00:00Z", e.firstTimestamp);
    assertEquals("2026-01-01T00:00:40Z", e.lastTimestamp);
  }

  @Test void aRepeatOfADeletedEventIsCreatedAgain() throws Exception {
    EventRecorder r = broadcaster.newRecorder("kubelet", null);
    r.event(pod("web"), EventType.WARNING, "BackOff", "Back-off restarting failed container");
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    synchronized (sink) {
      stored.clear();
    }
    r.event(pod("web"), EventType.WARNING, "BackOff", "Back-off restarting failed container");
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    assertEquals(List.of("create BackOff", "patch BackOff", "create BackOff"), calls);
  }

  @Test void anUnreachableServerIsRetriedAfterWaiting() throws Exception {
    failNext.set(2);
    broadcaster.newRecorder("default-scheduler", null).event(pod("web"), EventType.NORMAL, "Scheduled", "ok");
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    assertEquals(List.of("create Scheduled"), calls);
    assertEquals(2, waits.size());
    assertEquals(Duration.ofSeconds(10), waits.get(1), "retries are 10 s apart after a random first wait");
    assertEquals(1, broadcaster.postedCount());
  }

  @Test void eventsAboutClusterScopedObjectsGoToTheDefaultNamespace() throws Exception {
    Node n = new Node();
    n.metadata.name = "node-1";
    broadcaster.newRecorder("kubelet", "node-1").event(n, EventType.NORMAL, "NodeReady", "Node node-1 status is now: NodeReady");
    assertTrue(broadcaster.flush(Duration.ofSeconds(5)));
    Event e = stored.values().iterator().next();
    assertEquals("default", e.metadata.namespace);
    assertNull(e.involvedObject.namespace);
  }

  @Test void aBadTypeIsACallerBug() {
    EventRecorder r = broadcaster.newRecorder("x", null);
    assertThrows(IllegalArgumentException.class, () -> r.event(pod("a"), "Error", "R", "m"));
  }
}
