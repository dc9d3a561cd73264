package kubelab.client.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.Event;
import kubelab.api.core.Pod;
import kubelab.client.KubeClient;
import kubelab.client.ListOptions;
import kubelab.client.events.EventBroadcaster;
import kubelab.client.events.EventRecorder;
import kubelab.client.events.EventSink;
import kubelab.client.events.EventType;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events posted through the real API server: repeats aggregate into one Event with a count, as kubectl describe shows. */
class EventsE2eTest {
  static Cluster cluster;

  @BeforeAll static void start() {
    cluster = Cluster.shared();
  }


  List<Event> eventsFor(String ns, String pod) {
    return cluster.admin.events(ns).list(ListOptions.fields("involvedObject.name=" + pod)).items;
  }

  @Test void repeatsOfOneEventBecomeOneEventWithACount() throws Exception {
    String ns = cluster.namespace("events");
    Pod pod = cluster.admin.pods(ns).create(Cluster.pod(ns, "web-0"));
    KubeClient scheduler = KubeClient.create(cluster.userConfig("system:kube-scheduler"));
    try (EventBroadcaster b = new EventBroadcaster(EventSink.of(scheduler), Clock.systemUTC())) {
      EventRecorder r = b.newRecorder("default-scheduler", null);
      String msg = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
          + "3 No preemption victims found for incoming pod.";
      for (int i = 0; i < 5; i++) r.event(pod, EventType.WARNING, "FailedScheduling", msg);
      r.event(pod, EventType.NORMAL, "Scheduled", "Successfully assigned " + ns + "/web-0 to node-2");
      assertTrue(b.flush(Duration.ofSeconds(30)));
      assertEquals(6, b.postedCount());
      assertEquals(0, b.rejectedCount());
    }
    List<Event> events = eventsFor(ns, "web-0");
    assertEquals(2, events.size(), "one FailedScheduling with count 5, one Scheduled");
    Event failed = events.stream().filter(e -> e.reason.equals("FailedScheduling")).findFirst().orElseThrow();
    assertEquals(5, failed.count);
    assertEquals("Warning", failed.type);
    assertEquals("default-scheduler", failed.source.get("component"));
    assertEquals(pod.metadata.uid, failed.involvedObject.uid);
    assertEquals("Pod", failed.involvedObject.kind);
    Event scheduled = events.stream().filter(e -> e.reason.equals("Scheduled")).findFirst().orElseThrow();
    assertEquals(1, scheduled.count);
  }

  @Test void tenDifferentMessagesForOneReasonAreCombined() throws Exception {
    String ns = cluster.namespace("combined");
    Pod pod = cluster.admin.pods(ns).create(Cluster.pod(ns, "web-1"));
    try (EventBroadcaster b = new EventBroadcaster(EventSink.of(cluster.admin), Clock.systemUTC())) {
      EventRecorder r = b.newRecorder("kubelet", "node-1");
      for (int i = 1; i <= 12; i++) r.event(pod, EventType.WARNING, "Unhealthy", "Readiness probe failed: attempt " + i);
      assertTrue(b.flush(Duration.ofSeconds(30)));
    }
    List<Event> events = eventsFor(ns, "web-1");
    List<String> combined = new ArrayList<>();
    for (Event e : events) if (e.message.startsWith("(combined from similar events): ")) combined.add(e.message + " x" + e.count);
    assertEquals(10, events.size(), "9 individual events and 1 combined one: " + events.stream().map(e -> e.message).toList());
    assertEquals(List.of("(combined from similar events): Readiness probe failed: attempt 12 x3"), combined);
  }

  @Test void kubectlDescribeShowsTheAggregatedEvent() throws Exception {
    Requires.command("kubectl");
    String ns = cluster.namespace("describe");
    Pod pod = cluster.admin.pods(ns).create(Cluster.pod(ns, "web-2"));
    try (EventBroadcaster b = new EventBroadcaster(EventSink.of(cluster.admin), Clock.systemUTC())) {
      EventRecorder r = b.newRecorder("default-scheduler", null);
      for (int i = 0; i < 3; i++) r.event(pod, EventType.WARNING, "FailedScheduling", "0/1 nodes are available: 1 Insufficient memory.");
      assertTrue(b.flush(Duration.ofSeconds(30)));
    }
    List<String> cmd = List.of("kubectl", "--kubeconfig", cluster.api.kubeconfig().toString(), "describe", "pod", "web-2", "-n", ns);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(out.matches("(?s).*Warning\\s+FailedScheduling\\s+\\S+ \\(x3 over \\S+\\)\\s+default-scheduler\\s+0/1 nodes are available: 1 Insufficient memory\\..*"),
        "kubectl describe output:\n" + out);
  }
}
