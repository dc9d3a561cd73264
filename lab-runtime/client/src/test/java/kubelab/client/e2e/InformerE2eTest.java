package kubelab.client.e2e;

import static kubelab.client.Eventually.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.Pod;
import kubelab.client.ApiException;
import kubelab.client.DeleteOptions;
import kubelab.client.KubeClient;
import kubelab.client.ListOptions;
import kubelab.client.PatchType;
import kubelab.client.PodClient;
import kubelab.client.informer.ListerWatcher;
import kubelab.client.informer.ResourceEventHandler;
import kubelab.client.informer.SharedIndexInformer;
import kubelab.client.informer.SharedInformerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Informers against the real API server: the cache converges on the server's state after many
 * concurrent writes; a cut connection plus a compaction forces a relist that finds what changed;
 * the factory shares one informer (one watch) per resource.
 */
class InformerE2eTest {
  /** Writes in the convergence test; -Dkubelab.client.e2e.writes=N scales it (soak). */
  static final int WRITES = Integer.getInteger("kubelab.client.e2e.writes", 600);
  static Cluster cluster;

  @BeforeAll static void start() {
    cluster = Cluster.shared();
  }


  /** name → resourceVersion, from the server and from a cache. */
  static Map<String, String> versions(List<Pod> pods) {
    Map<String, String> m = new TreeMap<>();
    for (Pod p : pods) m.put(p.metadata.name, p.metadata.resourceVersion);
    return m;
  }

  @Test void theCacheConvergesOnTheServerAfterManyConcurrentWrites() throws Exception {
    String ns = cluster.namespace("converge");
    PodClient pods = cluster.admin.pods(ns);
    for (int i = 0; i < 20; i++) pods.create(Cluster.pod(ns, "pre-" + i)); // in the initial list
    SharedIndexInformer<Pod> inf = SharedIndexInformer.builder("pods", ListerWatcher.of(pods)).build();
    Map<String, Integer> handlerView = new ConcurrentHashMap<>();
    var reg = inf.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod p, boolean initial) { handlerView.put(p.metadata.name, 1); }
      @Override public void onUpdate(Pod o, Pod n) { handlerView.put(n.metadata.name, 1); }
      @Override public void onDelete(Pod p, boolean unknown) { handlerView.remove(p.metadata.name); }
    });
    inf.start();
    try {
      assertTrue(inf.waitForSync(Duration.ofSeconds(30)));
      int writers = 4;
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      for (int w = 0; w < writers; w++) {
        int id = w;
        Thread t = new Thread(() -> {
          Random r = new Random(id);
          try {
            for (int i = 0; i < WRITES / writers; i++) {
              String name = "w" + id + "-" + r.nextInt(30);
              try {
                switch (r.nextInt(3)) {
                  case 0 -> pods.create(Cluster.pod(ns, name));
                  case 1 -> pods.patch(name, PatchType.MERGE, "{\"metadata\":{\"labels\":{\"i\":\"" + i + "\"}}}");
                  default -> pods.delete(name, DeleteOptions.gracePeriod(0));
                }
              } catch (ApiException.NotFound | ApiException.AlreadyExists expected) {
                // random operations on random names: some miss
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) t.join(120_000);
      assertEquals(List.of(), errors);
      Map<String, String> server = versions(pods.list().items);
      await(() -> "cache " + versions(inf.indexer().list()) + "\nserver " + server, Duration.ofSeconds(30),
          () -> versions(inf.indexer().list()).equals(server));
      await(() -> "handler view " + new TreeMap<>(handlerView).keySet() + " vs " + server.keySet(), Duration.ofSeconds(30),
          () -> new TreeMap<>(handlerView).keySet().equals(server.keySet()));
      assertTrue(reg.hasSynced());
      assertEquals(1, inf.reflector().listCount(), "one list, then watch only");
    } finally {
      inf.stop();
    }
  }

  @Test void aCutConnectionAndACompactedHistoryForceARelistThatSeesTheDeletion() throws Exception {
    String ns = cluster.namespace("relist");
    PodClient admin = cluster.admin.pods(ns);
    admin.create(Cluster.pod(ns, "stays"));
    admin.create(Cluster.pod(ns, "goes"));
    try (TcpProxy proxy = new TcpProxy(cluster.api.port())) {
      KubeClient viaProxy = cluster.adminVia(proxy.url());
      SharedIndexInformer<Pod> inf = SharedIndexInformer.builder("pods", ListerWatcher.of(viaProxy.pods(ns))).build();
      List<String> deletes = Collections.synchronizedList(new ArrayList<>());
      inf.addEventHandler(new ResourceEventHandler<>() {
        @Override public void onDelete(Pod p, boolean unknown) { deletes.add(p.metadata.name + (unknown ? " (unknown)" : "")); }
      });
      inf.start();
      try {
        assertTrue(inf.waitForSync(Duration.ofSeconds(30)));
        assertEquals(2, inf.indexer().size());
        await("watch open", () -> inf.reflector().watchCount() >= 1);

        proxy.block(true);                 // the informer loses the server...
        admin.delete("goes", DeleteOptions.gracePeriod(0));  // ...misses a delete and a create...
        admin.create(Cluster.pod(ns, "new"));
        cluster.compactHistory(); // ...and its version is gone
        await("the reflector noticed", () -> inf.reflector().brokenStreamCount() + inf.reflector().watchCount() >= 2);
        proxy.block(false);

        await(() -> "cache " + versions(inf.indexer().list()).keySet(), Duration.ofSeconds(30),
            () -> versions(inf.indexer().list()).keySet().equals(Set.of("stays", "new")));
        assertTrue(inf.reflector().expiredCount() >= 1, "re-watch from the old version got 410");
        assertEquals(2, inf.reflector().listCount(), "exactly one relist");
        await("delete delivered", () -> deletes.contains("goes (unknown)"));
      } finally {
        inf.stop();
      }
    }
  }

  @Test void aBrokenStreamResumesByWatchWithoutARelist() throws Exception {
    String ns = cluster.namespace("resume");
    PodClient admin = cluster.admin.pods(ns);
    try (TcpProxy proxy = new TcpProxy(cluster.api.port())) {
      SharedIndexInformer<Pod> inf = SharedIndexInformer.builder("pods",
          ListerWatcher.of(cluster.adminVia(proxy.url()).pods(ns))).build();
      inf.start();
      try {
        assertTrue(inf.waitForSync(Duration.ofSeconds(30)));
        admin.create(Cluster.pod(ns, "a"));
        await("a", () -> inf.indexer().size() == 1);
        proxy.cutAll();
        admin.create(Cluster.pod(ns, "b"));
        await("b arrives after the cut", Duration.ofSeconds(30), () -> inf.indexer().size() == 2);
        assertEquals(1, inf.reflector().listCount());
        assertTrue(inf.reflector().watchCount() >= 2);
      } finally {
        inf.stop();
      }
    }
  }

  @Test void theFactorySharesOneInformerPerResourceAndSelector() throws Exception {
    String ns = cluster.namespace("factory");
    cluster.admin.pods(ns).create(Cluster.pod(ns, "p"));
    SharedInformerFactory f = new SharedInformerFactory(cluster.admin, Duration.ZERO, ns, java.time.Clock.systemUTC());
    try {
      assertSame(f.pods(), f.pods());
      var unscheduled = f.informerFor(kubelab.client.ResourceType.PODS, ListOptions.fields("spec.nodeName="));
      assertNotSame(f.pods(), unscheduled);
      assertSame(unscheduled, f.informerFor(kubelab.client.ResourceType.PODS, ListOptions.fields("spec.nodeName=")));
      Map<String, Integer> a = new HashMap<>(), b = new HashMap<>();
      f.pods().addEventHandler(new ResourceEventHandler<>() {
        @Override public void onAdd(Pod p, boolean i) { synchronized (a) { a.merge(p.metadata.name, 1, Integer::sum); } }
      });
      f.pods().addEventHandler(new ResourceEventHandler<>() {
        @Override public void onAdd(Pod p, boolean i) { synchronized (b) { b.merge(p.metadata.name, 1, Integer::sum); } }
      });
      f.start();
      assertTrue(f.waitForCacheSync(Duration.ofSeconds(30)));
      await("both handlers", () -> { synchronized (a) { synchronized (b) { return a.size() == 1 && b.size() == 1; } } });
      assertEquals(1, f.pods().reflector().listCount());
      assertEquals(1, unscheduled.indexer().size(), "the unscheduled pod matches spec.nodeName=");
    } finally {
      f.shutdown();
    }
  }
}
