package kubelab.client.informer;

import static kubelab.client.Eventually.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kubelab.api.core.Pod;
import kubelab.client.flowcontrol.Sleeper;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The informer pipeline against the in-memory ListerWatcher: initial list, live events, relist
 * after 410, re-watch after a broken stream, resync on a fake clock, late handlers, isolation of
 * slow or failing handlers.
 */
class SharedIndexInformerTest {
  final FakeClock clock = new FakeClock();
  final InMemoryListerWatcher<Pod> server = new InMemoryListerWatcher<>(Pod.class);
  final List<Duration> backoffs = Collections.synchronizedList(new ArrayList<>());
  /** Records the back-off and waits only a token real time, so relists happen quickly. */
  final Sleeper sleeper = d -> {
    backoffs.add(d);
    Thread.sleep(1);
  };
  SharedIndexInformer<Pod> informer;

  SharedIndexInformer<Pod> informer(Duration resync) {
    informer = SharedIndexInformer.builder("pods", server).clock(clock).resync(resync).sleeper(sleeper)
        .resyncCheckInterval(Duration.ofHours(1)) // tests call checkResync() themselves
        .indexer("node", p -> p.spec.nodeName == null ? List.of() : List.of(p.spec.nodeName))
        .build();
    return informer;
  }

  @AfterEach void stop() {
    if (informer != null) informer.stop();
  }

  static Pod pod(String name, String node) {
    Pod p = new Pod();
    p.metadata.namespace = "default";
    p.metadata.name = name;
    p.spec.nodeName = node;
    return p;
  }

  static Pod labelled(Pod p, String k, String v) {
    p.metadata.labels = Map.of(k, v);
    return p;
  }

  @Test void initialListArrivesAsInitialAddsThenLiveEventsFollow() throws Exception {
    server.create(pod("a", "n1"));
    server.create(pod("b", "n1"));
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    Recorder<Pod> rec = new Recorder<>();
    var reg = inf.addEventHandler(rec);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    await("handler synced", reg::hasSynced);
    assertEquals(List.of("add a (initial)", "add b (initial)"), rec.events().stream().sorted().toList());
    rec.clear();

    Pod c = server.create(pod("c", "n2"));
    Pod a2 = pod("a", "n2");
    a2.metadata.resourceVersion = server.get("default/a").metadata.resourceVersion;
    Pod a = server.update(a2);
    server.delete("default/b");
    await(() -> rec.events().toString(), Duration.ofSeconds(10), () -> rec.size() == 3);
    assertEquals(List.of("add c", "update a 1->" + a.metadata.resourceVersion, "delete b"), rec.events());
    assertEquals(c.metadata.resourceVersion, "3");
    assertEquals(2, inf.indexer().size());
    assertEquals(List.of("a", "c"), inf.indexer().byIndex("node", "n2").stream().map(p -> p.metadata.name).sorted().toList());
    assertEquals(1, inf.reflector().listCount(), "no relist needed");
  }

  @Test void theCacheIsUpdatedBeforeHandlersAreNotified() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    List<Boolean> seenInCache = Collections.synchronizedList(new ArrayList<>());
    inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p, boolean initial) {
        seenInCache.add(inf.lister().get("default", p.metadata.name) != null);
      }
    });
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    for (int i = 0; i < 20; i++) server.create(pod("p" + i, null));
    await("20 adds", () -> seenInCache.size() == 20);
    assertFalse(seenInCache.contains(false));
  }

  @Test void a410ForcesARelistThatFindsDeletionsMadeWhileNotWatching() throws Exception {
    server.create(pod("a", null));
    server.create(pod("b", null));
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    Recorder<Pod> rec = new Recorder<>();
    inf.addEventHandler(rec);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    await("watch open", () -> server.openWatches() == 1);

    // While the informer "is not looking": its watch breaks and history is compacted away.
    synchronized (server) {
      server.breakWatches();
      server.delete("default/a");
      server.create(pod("c", null));
      server.compact();
    }
    await(() -> "relist; events " + rec.events(), Duration.ofSeconds(10),
        () -> inf.reflector().listCount() == 2 && inf.indexer().size() == 2 && rec.events().contains("delete a (unknown)"));
    assertTrue(inf.reflector().expiredCount() >= 1, "the re-watch got 410");
    assertTrue(rec.events().contains("add c"), rec.events().toString());
    assertFalse(rec.events().stream().anyMatch(e -> e.startsWith("update b")),
        "b was unchanged: the relist must not tell non-resyncing handlers about it: " + rec.events());
    assertNull(inf.lister().get("default", "a"));
    assertFalse(backoffs.isEmpty(), "relist happened after a back-off");
  }

  @Test void anExpiredErrorEventAlsoForcesARelist() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    await("watch open", () -> server.openWatches() == 1);
    server.expireWatches();
    await("relist", () -> inf.reflector().listCount() == 2);
    assertEquals(1, inf.reflector().expiredCount());
  }

  @Test void aBrokenStreamIsResumedFromTheLastVersionWithoutRelisting() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    Recorder<Pod> rec = new Recorder<>();
    inf.addEventHandler(rec);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    server.create(pod("a", null));
    await("a seen", () -> rec.size() == 1);
    await("watch open", () -> server.openWatches() == 1);
    synchronized (server) {
      server.breakWatches();
      server.create(pod("b", null));   // happens while the stream is down
    }
    await(() -> rec.events().toString(), Duration.ofSeconds(10), () -> rec.size() == 2);
    assertEquals(List.of("add a", "add b"), rec.events());
    assertEquals(1, inf.reflector().listCount(), "resumed by watch, not by list");
    assertEquals(1, inf.reflector().brokenStreamCount());
    assertTrue(inf.reflector().watchCount() >= 2);
  }

  @Test void aCleanlyEndedWatchIsReopenedFromTheLastVersion() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    server.create(pod("a", null));
    await("a cached", () -> inf.indexer().size() == 1);
    await("watch open", () -> server.openWatches() == 1);
    server.endWatches();
    server.create(pod("b", null));
    await("b cached", () -> inf.indexer().size() == 2);
    assertEquals(1, inf.reflector().listCount());
  }

  @Test void resyncRedeliversEveryObjectOnlyToHandlersWhosePeriodIsDue() throws Exception {
    server.create(pod("a", null));
    server.create(pod("b", null));
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    Recorder<Pod> every30s = new Recorder<>();
    Recorder<Pod> never = new Recorder<>();
    var r1 = inf.addEventHandler(every30s, Duration.ofSeconds(30));
    var r2 = inf.addEventHandler(never);
    inf.start();
    await("synced", () -> r1.hasSynced() && r2.hasSynced());
    every30s.clear();
    never.clear();

    clock.advance(Duration.ofSeconds(29));
    inf.checkResync();
    clock.advance(Duration.ofSeconds(1));
    inf.checkResync();
    await(() -> every30s.events().toString(), Duration.ofSeconds(10), () -> every30s.size() == 2);
    assertEquals(List.of("update a 1->1", "update b 2->2"), every30s.events().stream().sorted().toList());
    clock.advance(Duration.ofSeconds(30));
    inf.checkResync();
    await("second resync", () -> every30s.size() == 4);
    assertEquals(0, never.size(), "a handler without resync hears nothing: " + never.events());
  }

  @Test void aHandlerAddedLaterIsReplayedTheCacheThenSeesLiveChanges() throws Exception {
    server.create(pod("a", null));
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    server.create(pod("b", null));
    await("b cached", () -> inf.indexer().size() == 2);
    Recorder<Pod> late = new Recorder<>();
    var reg = inf.addEventHandler(late);
    await("late handler synced", reg::hasSynced);
    assertEquals(List.of("add a (initial)", "add b (initial)"), late.events().stream().sorted().toList());
    server.create(pod("c", null));
    await("c delivered", () -> late.size() == 3);
    assertEquals("add c", late.events().get(2));
  }

  @Test void aSlowHandlerDoesNotDelayTheOthers() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    CountDownLatch release = new CountDownLatch(1);
    inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p, boolean initial) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    Recorder<Pod> fast = new Recorder<>();
    inf.addEventHandler(fast);
    inf.start();
    for (int i = 0; i < 50; i++) server.create(pod("p" + i, null));
    await("fast handler got all 50 while the slow one is stuck", () -> fast.size() == 50);
    assertEquals(50, inf.indexer().size());
    release.countDown();
  }

  @Test void aThrowingHandlerKeepsReceivingEvents() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    var reg = inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p, boolean initial) {
        seen.add(p.metadata.name);
        throw new IllegalStateException("boom (expected by the test)");
      }
    });
    inf.start();
    server.create(pod("a", null));
    server.create(pod("b", null));
    await("both delivered", () -> seen.size() == 2);
    assertEquals(2, reg.handlerErrors());
  }

  @Test void labelSelectedInformerSeesObjectsLeaveAndEnterTheSelection() throws Exception {
    ListerWatcher<Pod> onlyWeb = new ListerWatcher<>() {
      @Override public kubelab.api.meta.KubeList<Pod> list(kubelab.client.ListOptions o) {
        return server.list(o.withLabelSelector("app=web"));
      }

      @Override public kubelab.client.Watch<Pod> watch(kubelab.client.ListOptions o) {
        return server.watch(o.withLabelSelector("app=web"));
      }
    };
    informer = SharedIndexInformer.builder("web", onlyWeb).sleeper(sleeper).build();
    Recorder<Pod> rec = new Recorder<>();
    informer.addEventHandler(rec);
    informer.start();
    assertTrue(informer.waitForSync(Duration.ofSeconds(10)));
    Pod a = server.create(labelled(pod("a", null), "app", "web"));
    server.create(labelled(pod("b", null), "app", "db"));
    await("a added", () -> rec.size() == 1);
    a.metadata.labels = Map.of("app", "db");
    server.update(a);
    await("a left the selection", () -> rec.size() == 2);
    assertEquals(List.of("add a", "delete a"), rec.events());
    assertEquals(0, informer.indexer().size());
  }

  @Test void stopEndsAllThreadsAndClosesTheWatch() throws Exception {
    SharedIndexInformer<Pod> inf = informer(Duration.ZERO);
    inf.addEventHandler(new Recorder<>());
    inf.start();
    assertTrue(inf.waitForSync(Duration.ofSeconds(10)));
    await("watch open", () -> server.openWatches() == 1);
    inf.stop();
    assertEquals(0, server.openWatches());
    long alive = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pods-") && t.isAlive()).count();
    assertEquals(0, alive, "informer threads still alive after stop");
  }
}
