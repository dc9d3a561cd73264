package kubelab.client.bench;

import static org.junit.jupiter.api.Assertions.*;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.Container;
import kubelab.api.core.Namespace;
import kubelab.api.core.Pod;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.client.ClientConfig;
import kubelab.client.KubeClient;
import kubelab.client.ListOptions;
import kubelab.client.Watch;
import kubelab.client.WatchEvent;
import kubelab.client.informer.ListerWatcher;
import org.junit.jupiter.api.Test;

/**
 * The client's cost per operation against the real API server, with fabric8 (7.1, over the same
 * JDK HTTP client) as the peer, in one process against one server, alternating rounds so both see
 * the same machine load. Prints figures; asserts only that both clients did the work.
 *
 * <p>Run: {@code mvn -B -q -o -pl lab-runtime/client -am test -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=ClientBenchmark} (scale with {@code -Dkubelab.bench.n=N}, default 1000). Not part of the
 * normal test run (the class name does not end in Test).
 */
class ClientBenchmark {
  static final int N = Integer.getInteger("kubelab.bench.n", 1000);
  static final int THREADS = 8;

  record Stats(String what, String client, int ops, double seconds, double p50ms, double p99ms) {
    double perSecond() { return ops / seconds; }

    @Override public String toString() {
      return String.format(Locale.ROOT, "%-34s %-8s %6d ops %8.0f ops/s  p50 %7.3f ms  p99 %7.3f ms",
          what, client, ops, perSecond(), p50ms, p99ms);
    }
  }

  static Stats stats(String what, String client, List<Long> nanos, long wallNanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    double p50 = s.isEmpty() ? 0 : s.get(s.size() / 2) / 1e6;
    double p99 = s.isEmpty() ? 0 : s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)) / 1e6;
    return new Stats(what, client, s.size(), wallNanos / 1e9, p50, p99);
  }

  interface Op {
    void run(int i) throws Exception;
  }

  static Stats sequential(String what, String client, int n, Op op) throws Exception {
    List<Long> t = new ArrayList<>(n);
    long w0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      op.run(i);
      t.add(System.nanoTime() - t0);
    }
    return stats(what, client, t, System.nanoTime() - w0);
  }

  /**
   * Runs {@code a} and {@code b} in alternating chunks of {@code chunk} operations (a, b, a, b, ...),
   * so both see the same machine load and JIT state; returns [stats of a, stats of b].
   */
  static List<Stats> alternating(String what, int n, int chunk, Op a, Op b) throws Exception {
    List<Long> ta = new ArrayList<>(n), tb = new ArrayList<>(n);
    long wa = 0, wb = 0;
    for (int start = 0; start < n; start += chunk) {
      int end = Math.min(n, start + chunk);
      long w0 = System.nanoTime();
      for (int i = start; i < end; i++) {
        long t0 = System.nanoTime();
        a.run(i);
        ta.add(System.nanoTime() - t0);
      }
      long w1 = System.nanoTime();
      for (int i = start; i < end; i++) {
        long t0 = System.nanoTime();
        b.run(i);
        tb.add(System.nanoTime() - t0);
      }
      wa += w1 - w0;
      wb += System.nanoTime() - w1;
    }
    return List.of(stats(what, "kubelab", ta, wa), stats(what, "fabric8", tb, wb));
  }

  static Stats concurrent(String what, String client, int n, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Long> t = Collections.synchronizedList(new ArrayList<>(n));
    long w0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i;
      fs.add(pool.submit(() -> {
        long t0 = System.nanoTime();
        op.run(id);
        t.add(System.nanoTime() - t0);
        return null;
      }));
    }
    for (Future<?> f : fs) f.get();
    long wall = System.nanoTime() - w0;
    pool.shutdown();
    return stats(what, client, t, wall);
  }

  static Pod ourPod(String ns, String name) {
    Pod p = new Pod();
    p.metadata.namespace = ns;
    p.metadata.name = name;
    Container c = new Container();
    c.name = "main";
    c.image = "busybox:1.36";
    p.spec.containers = List.of(c);
    return p;
  }

  static io.fabric8.kubernetes.api.model.Pod theirPod(String ns, String name) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.36").endContainer().endSpec().build();
  }

  @Test @org.junit.jupiter.api.Timeout(value = 20, unit = TimeUnit.MINUTES)
  void benchmark() throws Exception {
    try (TestApiServer api = TestApiServer.start()) {
      KubeClient ours = KubeClient.create(ClientConfig.builder(api.url()).caPem(api.caPem())
          .bearerToken(api.adminToken()).rateLimit(0, 0).build());
      Config cfg = new ConfigBuilder().withMasterUrl(api.url())
          .withCaCertData(Base64.getEncoder().encodeToString(api.caPem().getBytes(StandardCharsets.UTF_8)))
          .withOauthToken(api.adminToken()).withRequestTimeout(60_000)
          // HTTP watches, as client-go does (fabric8 defaults to WebSocket watches, which this API server does not serve)
          .withOnlyHttpWatches(true).build();
      List<Stats> results = new ArrayList<>();
      try (KubernetesClient theirs = new KubernetesClientBuilder().withConfig(cfg).build()) {
        for (String n : List.of("bench-ours", "bench-fabric8", "warm-ours", "warm-fabric8")) {
          Namespace ns = new Namespace();
          ns.metadata.name = n;
          ours.namespaces().create(ns);
        }
        ours.nodes().create(node("bench-node"));
        // warm-up: JIT and connection pools of both clients and the server
        int warm = Math.min(300, N);
        sequential("warm-up", "kubelab", warm, i -> ours.pods("warm-ours").create(ourPod("warm-ours", "w" + i)));
        sequential("warm-up", "fabric8", warm, i -> theirs.pods().inNamespace("warm-fabric8").resource(theirPod("warm-fabric8", "w" + i)).create());

        results.addAll(alternating("create pod (1 thread)", N, 100,
            i -> ours.pods("bench-ours").create(ourPod("bench-ours", "p" + i)),
            i -> theirs.pods().inNamespace("bench-fabric8").resource(theirPod("bench-fabric8", "p" + i)).create()));
        results.addAll(alternating("get pod (1 thread)", N, 100,
            i -> ours.pods("bench-ours").get("p" + i),
            i -> theirs.pods().inNamespace("bench-fabric8").withName("p" + i).get()));
        // fabric8's bindings() posts to the legacy namespaces/NS/bindings collection, which this API
        // server answers with 405; post to pods/NAME/binding through fabric8's own HTTP stack instead
        var http = theirs.getHttpClient();
        results.addAll(alternating("bind pod (1 thread)", N, 100,
            i -> ours.pods("bench-ours").bind("bench-ours", "p" + i, null, "bench-node"),
            i -> {
              String body = io.fabric8.kubernetes.client.utils.Serialization.asJson(new BindingBuilder().withNewMetadata()
                  .withName("p" + i).withNamespace("bench-fabric8").endMetadata()
                  .withNewTarget().withKind("Node").withApiVersion("v1").withName("bench-node").endTarget().build());
              var req = http.newHttpRequestBuilder().uri(api.url() + "/api/v1/namespaces/bench-fabric8/pods/p" + i + "/binding")
                  .post("application/json", body).build();
              var resp = http.sendAsync(req, String.class).get(60, TimeUnit.SECONDS);
              assertEquals(201, resp.code(), resp.body());
            }));
        int lists = Math.max(5, 20_000 / N);
        results.addAll(alternating("list " + N + " pods", lists, 1,
            i -> assertEquals(N, ours.pods("bench-ours").list().items.size()),
            i -> assertEquals(N, theirs.pods().inNamespace("bench-fabric8").list().getItems().size())));
        results.add(concurrent("create pod (" + THREADS + " threads)", "kubelab", N, i -> ours.pods("bench-ours").create(ourPod("bench-ours", "c" + i))));
        results.add(concurrent("create pod (" + THREADS + " threads)", "fabric8", N, i -> theirs.pods().inNamespace("bench-fabric8").resource(theirPod("bench-fabric8", "c" + i)).create()));
        results.add(watchLatencyOurs(ours, Math.min(N, 500)));
        results.add(watchLatencyTheirs(ours, theirs, Math.min(N, 500)));
        results.add(informerSyncOurs(ours, "bench-ours"));
        results.add(informerSyncTheirs(theirs, "bench-fabric8"));
      }
      System.out.println();
      System.out.printf("ClientBenchmark: kubelab-client vs fabric8 %s (JDK HttpClient), TestApiServer over LocalKvStore, N=%d, %d cores%n",
          "7.1.0", N, Runtime.getRuntime().availableProcessors());
      for (int i = 0; i < results.size(); i += 2) {
        Stats a = results.get(i), b = results.get(i + 1);
        System.out.println(a);
        System.out.println(b);
        System.out.printf(Locale.ROOT, "%-34s ratio kubelab/fabric8 throughput %.2f, p50 %.2f%n", "", a.perSecond() / b.perSecond(),
            a.p50ms / b.p50ms);
      }
    }
  }

  static kubelab.api.core.Node node(String name) {
    kubelab.api.core.Node n = new kubelab.api.core.Node();
    n.metadata.name = name;
    return n;
  }

  /** Time from calling create() to the ADDED event arriving on an open watch (same client). */
  static Stats watchLatencyOurs(KubeClient ours, int n) throws Exception {
    String ns = "watch-ours";
    Namespace nsObj = new Namespace();
    nsObj.metadata.name = ns;
    ours.namespaces().create(nsObj);
    ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    Watch<Pod> w = ours.pods(ns).watch(ListOptions.ALL.withResourceVersion(ours.pods(ns).list().metadata.resourceVersion));
    Thread reader = new Thread(() -> {
      WatchEvent<Pod> e;
      while ((e = w.next()) != null) {
        if (e.type() == WatchEvent.Type.ADDED) seen.put(e.object().metadata.name, System.nanoTime());
      }
    });
    reader.start();
    List<Long> lat = new ArrayList<>();
    long w0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = "p" + i;
      long created = System.nanoTime();
      ours.pods(ns).create(ourPod(ns, name));
      while (!seen.containsKey(name)) Thread.onSpinWait();
      lat.add(Math.max(0, seen.get(name) - created));
    }
    long wall = System.nanoTime() - w0;
    w.close();
    reader.join(5000);
    return stats("create, until seen by a watch", "kubelab", lat, wall);
  }

  static Stats watchLatencyTheirs(KubeClient ours, KubernetesClient theirs, int n) throws Exception {
    String ns = "watch-fabric8";
    Namespace nsObj = new Namespace();
    nsObj.metadata.name = ns;
    ours.namespaces().create(nsObj);
    ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    var w = theirs.pods().inNamespace(ns).watch(new Watcher<io.fabric8.kubernetes.api.model.Pod>() {
      @Override public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Pod p) {
        if (action == Action.ADDED) seen.put(p.getMetadata().getName(), System.nanoTime());
      }

      @Override public void onClose(WatcherException cause) {}
    });
    List<Long> lat = new ArrayList<>();
    long w0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = "p" + i;
      long created = System.nanoTime();
      theirs.pods().inNamespace(ns).resource(theirPod(ns, name)).create();
      long deadline = created + TimeUnit.SECONDS.toNanos(30);
      while (!seen.containsKey(name)) {
        if (System.nanoTime() > deadline) fail("fabric8 watch did not deliver " + name);
        Thread.onSpinWait();
      }
      lat.add(Math.max(0, seen.get(name) - created));
    }
    long wall = System.nanoTime() - w0;
    w.close();
    return stats("create, until seen by a watch", "fabric8", lat, wall);
  }

  /** An informer's start-to-synced time over the namespace's pods (one list of them all). */
  static Stats informerSyncOurs(KubeClient ours, String ns) throws Exception {
    List<Long> t = new ArrayList<>();
    long w0 = System.nanoTime();
    for (int r = 0; r < 5; r++) {
      long t0 = System.nanoTime();
      var inf = kubelab.client.informer.SharedIndexInformer.builder("bench", ListerWatcher.of(ours.pods(ns))).build();
      CountDownLatch all = new CountDownLatch(2 * N);
      inf.addEventHandler(new kubelab.client.informer.ResourceEventHandler<>() {
        @Override public void onAdd(Pod p, boolean initial) { all.countDown(); }
      });
      inf.start();
      assertTrue(all.await(60, TimeUnit.SECONDS));
      t.add(System.nanoTime() - t0);
      inf.stop();
    }
    return stats("informer sync, " + 2 * N + " pods", "kubelab", t, System.nanoTime() - w0);
  }

  static Stats informerSyncTheirs(KubernetesClient theirs, String ns) throws Exception {
    List<Long> t = new ArrayList<>();
    long w0 = System.nanoTime();
    for (int r = 0; r < 5; r++) {
      long t0 = System.nanoTime();
      CountDownLatch all = new CountDownLatch(2 * N);
      SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> inf = theirs.pods().inNamespace(ns).inform(
          new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override public void onAdd(io.fabric8.kubernetes.api.model.Pod p) { all.countDown(); }
            @Override public void onUpdate(io.fabric8.kubernetes.api.model.Pod a, io.fabric8.kubernetes.api.model.Pod b) {}
            @Override public void onDelete(io.fabric8.kubernetes.api.model.Pod p, boolean unknown) {}
          });
      assertTrue(all.await(60, TimeUnit.SECONDS));
      t.add(System.nanoTime() - t0);
      inf.close();
    }
    return stats("informer sync, " + 2 * N + " pods", "fabric8", t, System.nanoTime() - w0);
  }
}
