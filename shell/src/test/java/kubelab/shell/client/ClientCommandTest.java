package kubelab.shell.client;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Pod;
import kubelab.client.informer.InMemoryListerWatcher;
import kubelab.shell.Main;
import org.junit.jupiter.api.Test;

/** {@code lab client informer-demo}: what a learner sees of the informer pattern. */
class ClientCommandTest {
  static Pod pod(String name) {
    Pod p = new Pod();
    p.metadata.namespace = "default";
    p.metadata.name = name;
    return p;
  }

  @Test void theDemoShowsTheListEventsReconcilesAndARelist() throws Exception {
    InMemoryListerWatcher<Pod> server = new InMemoryListerWatcher<>(Pod.class);
    server.create(pod("web-0"));
    StringWriter sw = new StringWriter();
    PrintWriter out = new PrintWriter(sw, true);
    Thread demo = new Thread(() -> {
      try {
        InformerDemo.run("pods", server, out, Duration.ofSeconds(3), Duration.ZERO, Clock.systemUTC());
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    demo.start();
    waitFor(sw, "synced: 1 objects");
    waitFor(() -> server.openWatches() == 1);
    Pod w1 = server.create(pod("web-1"));
    w1.metadata.labels = Map.of("tier", "front");
    server.update(w1);
    server.delete("default/web-0");
    waitFor(sw, "DELETED   default/web-0");
    synchronized (server) { // the watch breaks and the history is gone: the reflector must relist
      server.breakWatches();
      server.create(pod("web-2"));
      server.compact();
    }
    waitFor(sw, "relist #1");
    demo.join(10_000);
    String text = sw.toString();
    for (String expected : List.of(
        "informer pods: list, then watch",
        "ADDED     default/web-0",
        "(initial list)",
        "synced: 1 objects in the cache at resourceVersion 1; watching",
        "ADDED     default/web-1",
        "MODIFIED  default/web-1",
        "reconcile default/web-1",
        "DELETED   default/web-0",
        "relist #1: the watch could not resume (410 Gone: 1 so far",
        "ADDED     default/web-2",
        "summary: cache=2 lists=2")) {
      assertTrue(text.contains(expected), "missing \"" + expected + "\" in:\n" + text);
    }
    assertTrue(text.matches("(?s).*reconcile default/web-0 +\\(gone from cache\\).*"), text);
    assertTrue(text.indexOf("DELETED   default/web-0") < text.lastIndexOf("reconcile default/web-0"),
        "the event is printed before its reconcile:\n" + text);
  }

  @Test void theCommandWatchesARealApiServerThroughAKubeconfig() throws Exception {
    try (kubelab.apiserver.testing.TestApiServer api = kubelab.apiserver.testing.TestApiServer.start()) {
      kubelab.client.KubeClient client = kubelab.client.KubeClient.fromKubeconfig(api.kubeconfig());
      kubelab.api.core.Container c = new kubelab.api.core.Container();
      c.name = "main";
      c.image = "busybox";
      Pod first = pod("before");
      first.spec.containers = List.of(c);
      client.pods("default").create(first);
      StringWriter out = new StringWriter(), err = new StringWriter();
      Thread cmd = new Thread(() -> Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
          "client", "informer-demo", "pods", "-n", "default", "--kubeconfig", api.kubeconfig().toString(), "--duration", "3s"));
      cmd.start();
      waitFor(out, "synced: 1 objects");
      Pod second = pod("after");
      second.spec.containers = List.of(c);
      client.pods("default").create(second);
      cmd.join(20_000);
      String text = out.toString();
      assertTrue(text.startsWith("server " + api.url() + ", namespace default"), text);
      assertTrue(text.contains("ADDED     default/after"), text);
      assertTrue(text.contains("summary: cache=2 lists=1"), text);
      assertEquals("", err.toString());
    }
  }

  @Test void anUnknownResourceIsAOneLineError() {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "client", "informer-demo", "widgets",
        "--kubeconfig", "/nonexistent");
    assertNotEquals(0, code);
    assertTrue(err.toString().contains("unknown resource \"widgets\""), err.toString());
  }

  @Test void durationsParseLikeKubectlFlags() {
    assertEquals(Duration.ofMillis(500), ClientCommand.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(30), ClientCommand.parseDuration("30s"));
    assertEquals(Duration.ofMinutes(5), ClientCommand.parseDuration("5m"));
    assertThrows(IllegalArgumentException.class, () -> ClientCommand.parseDuration("5 minutes"));
  }

  static void waitFor(StringWriter sw, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!sw.toString().contains(text)) {
      if (System.nanoTime() > deadline) fail("timed out waiting for \"" + text + "\" in:\n" + sw);
      Thread.sleep(5);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out");
      Thread.sleep(5);
    }
  }
}
