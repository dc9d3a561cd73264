package kubelab.client.informer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.Container;
import kubelab.api.core.Pod;
import kubelab.api.meta.KubeList;
import kubelab.client.ApiException;
import kubelab.client.ListOptions;
import kubelab.client.Watch;
import kubelab.client.WatchEvent;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ListerWatcher} keeps (the real one over HTTP and the in-memory one),
 * written once and run against each: a list's version is a point a watch can resume from, and the
 * watch then delivers every later change, in order, exactly once.
 */
public abstract class ListerWatcherContract {
  /** The implementation under test, scoped to {@link #namespace()}. */
  protected abstract ListerWatcher<Pod> lw();

  protected abstract String namespace();

  /** Writes through the system behind the lister-watcher (the API server, or the in-memory store). */
  protected abstract Pod create(Pod p);

  protected abstract Pod update(Pod p);

  protected abstract void delete(String name);

  /** Makes every past version unavailable to watches, or returns false if the system cannot be made to. */
  protected abstract boolean expireHistory();

  protected Pod pod(String name, Map<String, String> labels) {
    Pod p = new Pod();
    p.metadata.namespace = namespace();
    p.metadata.name = name;
    p.metadata.labels = labels;
    Container c = new Container();
    c.name = "main";
    c.image = "busybox";
    p.spec.containers = List.of(c);
    return p;
  }

  static String describe(WatchEvent<Pod> e) {
    return e.type() + " " + e.object().metadata.name;
  }

  private static List<String> take(Watch<Pod> w, int n) {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      WatchEvent<Pod> e = w.next();
      assertNotNull(e, "watch ended after " + out);
      if (e.type() == WatchEvent.Type.BOOKMARK) continue;
      assertNull(e.error(), () -> "unexpected error " + e.error());
      out.add(describe(e));
    }
    return out;
  }

  @Test void aWatchFromAListsVersionSeesEveryLaterChangeInOrder() {
    Pod a = create(pod("a", Map.of("app", "web")));
    KubeList<Pod> list = lw().list(ListOptions.ALL);
    assertEquals(List.of("a"), list.items.stream().map(p -> p.metadata.name).toList());
    String rv = list.metadata.resourceVersion;
    assertNotNull(rv);
    create(pod("b", null));
    a.metadata.labels = Map.of("app", "web", "v", "2");
    update(a);
    delete("b");
    try (Watch<Pod> w = lw().watch(ListOptions.ALL.withResourceVersion(rv))) {
      List<String> seen = new ArrayList<>();
      long lastRv = Long.parseLong(rv);
      while (seen.size() < 3) {
        WatchEvent<Pod> e = w.next();
        assertNotNull(e);
        if (e.type() == WatchEvent.Type.BOOKMARK) continue;
        long v = Long.parseLong(e.object().metadata.resourceVersion);
        assertTrue(v > lastRv, "versions increase: " + v + " after " + lastRv);
        lastRv = v;
        seen.add(describe(e));
      }
      assertEquals(List.of("ADDED b", "MODIFIED a", "DELETED b"), seen);
    }
  }

  @Test void aWatchWithoutAVersionStartsWithTheCurrentObjects() {
    create(pod("x", null));
    create(pod("y", null));
    try (Watch<Pod> w = lw().watch(ListOptions.ALL)) {
      List<String> initial = take(w, 2);
      assertEquals(List.of("ADDED x", "ADDED y"), initial.stream().sorted().toList());
      create(pod("z", null));
      assertEquals(List.of("ADDED z"), take(w, 1));
    }
  }

  @Test void labelSelectorsFilterListsAndWatches() {
    create(pod("web-1", Map.of("app", "web")));
    create(pod("db-1", Map.of("app", "db")));
    KubeList<Pod> l = lw().list(ListOptions.labels("app=web"));
    assertEquals(List.of("web-1"), l.items.stream().map(p -> p.metadata.name).toList());
    try (Watch<Pod> w = lw().watch(ListOptions.labels("app=web").withResourceVersion(l.metadata.resourceVersion))) {
      create(pod("db-2", Map.of("app", "db")));
      create(pod("web-2", Map.of("app", "web")));
      assertEquals(List.of("ADDED web-2"), take(w, 1));
    }
  }

  @Test void aVersionOlderThanTheHistoryIsGone() {
    Pod p = create(pod("old", null));
    String rv = p.metadata.resourceVersion;
    for (int i = 0; i < 3; i++) {
      p.metadata.labels = Map.of("i", Integer.toString(i));
      p = update(p);
    }
    if (!expireHistory()) return; // the system cannot be made to forget on demand
    ApiException.Gone gone = null;
    try (Watch<Pod> w = lw().watch(ListOptions.ALL.withResourceVersion(rv))) {
      // a server may answer 410 in the response, or as an ERROR event on the stream
      WatchEvent<Pod> e = w.next();
      assertNotNull(e, "stream ended without a 410");
      assertEquals(WatchEvent.Type.ERROR, e.type(), "expected 410, got " + e.type());
      gone = assertInstanceOf(ApiException.Gone.class, e.error());
    } catch (ApiException.Gone g) {
      gone = g;
    }
    assertEquals(410, gone.code());
  }

  @Test void closeEndsAWatchBlockedInNext() throws Exception {
    Watch<Pod> w = lw().watch(ListOptions.ALL.withResourceVersion(lw().list(ListOptions.ALL).metadata.resourceVersion));
    CountDownLatch ended = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        if (w.next() == null) ended.countDown();
      } catch (RuntimeException e) {
        // not allowed by the contract: leave the latch
      }
    });
    t.start();
    Thread.sleep(50);
    w.close();
    assertTrue(ended.await(5, TimeUnit.SECONDS), "next() must return null after close()");
    assertTrue(w.isClosed());
  }
}
