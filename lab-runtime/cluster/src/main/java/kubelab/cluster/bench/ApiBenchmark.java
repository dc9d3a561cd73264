package kubelab.cluster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kubelab.api.Json;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Pki;
import kubelab.cluster.ClusterConfig;
import kubelab.cluster.ClusterPki;
import kubelab.cluster.ControlPlane;

/**
 * {@code lab bench api}: the API server as clients see it, through the whole control plane of
 * {@code lab cluster up} (3 Raft members on loopback with WAL fsync, TLS, client-certificate
 * authentication, RBAC, admission).
 *
 * <p>Each simulated client is its own HTTP/1.1 connection (its own {@link HttpClient}) authenticated
 * as the cluster admin, running back to back for a fixed time per phase:
 * <ul>
 *   <li><b>create</b>: POST a pod (one container, labels, requests) into namespace {@code bench};
 *       admission (ServiceAccount, defaults, tolerations, priority) runs as for any pod. The pods
 *       name a scheduler that does not exist, so the control plane's scheduler leaves them alone;
 *   <li><b>get</b>: GET one of the client's pods, at random;
 *   <li><b>list</b>: GET the 100 pods of namespace {@code bench-list} (a quorum read, as
 *       kube-apiserver does for a list without resourceVersion);
 *   <li><b>update</b>: PUT one of the client's pods with a changed label and its last
 *       resourceVersion (each client owns its pods, so there are no conflicts);
 *   <li><b>watch-delivery</b>: 1 or 32 clients watch namespace {@code bench-watch}; one writer
 *       creates and updates pods back to back with the send time in an annotation; latency is from
 *       the start of the write request to the event's arrival at each watcher.
 * </ul>
 * Latencies are per request (wall clock, client side); p50/p99 by nearest rank. Then {@code kubectl
 * get pods} (10 pods, server-side table, warm discovery cache) is timed against {@code kubectl
 * version --client}, the client's floor: both medians of interleaved runs.
 */
public final class ApiBenchmark {
  private ApiBenchmark() {}

  /** Options; {@code clients}: the concurrency levels (1 and 32). */
  public record Options(double phaseSeconds, List<Integer> clients, boolean kubectl, int kubectlRuns, String kubectlCommand) {
    public static Options defaults() {
      return new Options(5, List.of(1, 32), true, 15, "kubectl");
    }
  }

  /** One measured phase. Latencies in milliseconds. */
  public record Phase(String op, int clients, long ops, long errors, double seconds, double opsPerSecond, double p50, double p99,
                      double max) {
    boolean mutating() {
      return op.equals("create") || op.equals("update");
    }
  }

  /** kubectl's wall times (ms): {@code kubectl get pods} against {@code kubectl version --client}. */
  public record KubectlResult(String version, int runs, int pods, double getPodsMedian, double getPodsMin, double clientMedian,
                              double clientMin, double ratio, String skipped) {
    static KubectlResult skipped(String why) {
      return new KubectlResult(null, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
    }
  }

  public record Report(String setup, int cores, List<Phase> phases, KubectlResult kubectl, double mutatingP99) {}

  private static final int LIST_SIZE = 100;
  private static final int KUBECTL_PODS = 10;

  public static Report run(Options o, Consumer<String> progress) throws Exception {
    Path dir = Files.createTempDirectory("kubelab-bench-api");
    try {
      progress.accept("starting the control plane in " + dir + " (3 store members, fsync on)");
      try (ControlPlane cp = ControlPlane.start(ClusterConfig.defaults(dir).onFreePorts(), line -> {})) {
        SSLContext tls = adminTls(cp.pki());
        Client setup = new Client(cp.url(), tls);
        for (String ns : List.of("bench", "bench-list", "bench-watch", "bench-kubectl")) {
          setup.send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        }
        waitForServiceAccounts(setup);
        for (int i = 0; i < LIST_SIZE; i++) setup.create("bench-list", "l-" + i, null);
        for (int i = 0; i < KUBECTL_PODS; i++) setup.create("bench-kubectl", "web-" + i, null);
        progress.accept("warming up (2 s, 32 clients)");
        List<Phase> phases = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        int maxClients = o.clients().stream().max(Integer::compare).orElse(1);
        for (int i = 0; i < maxClients; i++) clients.add(new Client(cp.url(), tls));
        runPhase("create", clients, "w", 2.0, Client::createNext);
        runPhase("update", clients, "w", 1.0, Client::updateOne);
        runPhase("list", clients, "w", 1.0, Client::list);
        for (int n : o.clients()) {
          List<Client> cs = clients.subList(0, n);
          for (String op : List.of("create", "get", "list", "update")) {
            Phase p = runPhase(op, cs, "m" + n, o.phaseSeconds(), switch (op) {
              case "create" -> Client::createNext;
              case "get" -> Client::getOne;
              case "list" -> Client::list;
              default -> Client::updateOne;
            });
            progress.accept(String.format(java.util.Locale.ROOT, "%-6s %2d clients: %,8.0f ops/s, p50 %.2f ms, p99 %.2f ms%s", op, n,
                p.opsPerSecond(), p.p50(), p.p99(), p.errors() > 0 ? " (" + p.errors() + " errors)" : ""));
            phases.add(p);
          }
        }
        for (int n : o.clients()) {
          Phase p = watchPhase(cp.url(), tls, n, o.phaseSeconds());
          progress.accept(String.format(java.util.Locale.ROOT, "watch  %2d watchers: %,d events, p50 %.2f ms, p99 %.2f ms", n, p.ops(),
              p.p50(), p.p99()));
          phases.add(p);
        }
        KubectlResult k = o.kubectl() ? kubectl(cp, o, progress) : KubectlResult.skipped("--no-kubectl");
        double mutP99 = phases.stream().filter(Phase::mutating).mapToDouble(Phase::p99).max().orElse(Double.NaN);
        String setupLine = "control plane of lab cluster up: 3 Raft members on loopback TCP, WAL fsync on, TLS, client certificates, "
            + "RBAC, admission; pods with one container; phases of " + o.phaseSeconds() + " s";
        return new Report(setupLine, Runtime.getRuntime().availableProcessors(), phases, k, mutP99);
      }
    } finally {
      deleteTree(dir);
    }
  }

  // ---- load phases ----

  interface Op {
    void run(Client c) throws Exception;
  }

  private static Phase runPhase(String name, List<Client> clients, String tag, double seconds, Op op) throws Exception {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<long[]> samples = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    long[] started = new long[1];
    for (Client c : clients) {
      c.tag = tag;
      long[] buf = new long[2_000_000 / Math.max(1, clients.size()) + 1024];
      samples.add(buf);
      Thread t = new Thread(() -> {
        int n = 0;
        try {
          go.await();
          while (System.nanoTime() < deadline && n < buf.length - 1) {
            long t0 = System.nanoTime();
            try {
              op.run(c);
              buf[++n] = System.nanoTime() - t0;
            } catch (Exception e) {
              errors.incrementAndGet();
              c.lastError = e.toString();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        buf[0] = n;
      }, "bench-" + name);
      threads.add(t);
      t.start();
    }
    started[0] = System.nanoTime();
    go.countDown();
    for (Thread t : threads) t.join();
    double elapsed = (System.nanoTime() - started[0]) / 1e9;
    int total = 0;
    for (long[] b : samples) total += (int) b[0];
    long[] all = new long[total];
    int k = 0;
    for (long[] b : samples) {
      System.arraycopy(b, 1, all, k, (int) b[0]);
      k += (int) b[0];
    }
    return phase(name, clients.size(), all, errors.get(), elapsed);
  }

  private static Phase phase(String name, int clients, long[] nanos, long errors, double elapsed) {
    Arrays.sort(nanos);
    return new Phase(name, clients, nanos.length, errors, elapsed, nanos.length / elapsed, pct(nanos, 50), pct(nanos, 99),
        nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private static Phase watchPhase(String url, SSLContext tls, int watchers, double seconds) throws Exception {
    Client writer = new Client(url, tls);
    writer.tag = "watch" + watchers;
    String rv = writer.send("GET", "/api/v1/namespaces/bench-watch/pods?limit=1", null).path("metadata").path("resourceVersion").asText();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    List<Stream<String>> streams = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    for (int i = 0; i < watchers; i++) {
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
      HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(url
          + "/api/v1/namespaces/bench-watch/pods?watch=true&resourceVersion=" + rv)).GET().build(), HttpResponse.BodyHandlers.ofLines());
      if (r.statusCode() != 200) throw new IOException("watch: HTTP " + r.statusCode());
      Stream<String> lines = r.body();
      streams.add(lines);
      Thread t = new Thread(() -> {
        try {
          lines.forEach(l -> {
            long now = System.nanoTime();
            int at = l.indexOf("\"bench/sent\":\"");
            if (at < 0 || stop.get()) return;
            int from = at + 14;
            long sent = Long.parseLong(l.substring(from, l.indexOf('"', from)));
            latencies.add(now - sent);
          });
        } catch (RuntimeException e) {
          // closed
        }
      }, "bench-watch");
      t.setDaemon(true);
      t.start();
      readers.add(t);
    }
    Thread.sleep(200);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long writes = 0;
    long t0 = System.nanoTime();
    int i = 0;
    while (System.nanoTime() < deadline) {
      writer.createWatched("ww" + watchers + "-" + (i++));
      writes++;
    }
    long expected = writes * watchers;
    long wait = System.nanoTime() + 10_000_000_000L;
    while (latencies.size() < expected && System.nanoTime() < wait) Thread.sleep(10);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Stream<String> s : streams) s.close();
    long[] all = latencies.stream().mapToLong(Long::longValue).toArray();
    return phase("watch", watchers, all, Math.max(0, expected - all.length), elapsed);
  }

  /** One simulated client: its own connection, its own pods. */
  static final class Client {
    private final HttpClient http;
    private final String url;
    private final List<ObjectNode> mine = new ArrayList<>();
    private int next;
    String tag = "";
    volatile String lastError;
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();

    Client(String url, SSLContext tls) {
      this.url = url;
      this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    JsonNode send(String method, String path, String body) throws IOException {
      return send(method, path, body, true);
    }

    /** One request; {@code parse} false reads the body without parsing it (the client's CPU is the server's too, here). */
    JsonNode send(String method, String path, String body, boolean parse) throws IOException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
      if (body != null) b.header("Content-Type", "application/json");
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<InputStream> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      try (InputStream in = r.body()) {
        if (!parse && r.statusCode() < 300) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
          return null;
        }
        JsonNode n = Json.MAPPER.readTree(in);
        if (r.statusCode() >= 300) throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + ": " + n.path("message").asText());
        return n;
      }
    }

    static String pod(String ns, String name, String annotation) {
      return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\","
          + "\"labels\":{\"app\":\"bench\",\"tier\":\"web\"}" + (annotation == null ? "" : ",\"annotations\":{\"bench/sent\":\"" + annotation + "\"}")
          + "},\"spec\":{\"schedulerName\":\"bench-no-scheduler\",\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\","
          + "\"ports\":[{\"containerPort\":80}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}";
    }

    JsonNode create(String ns, String name, String annotation) throws IOException {
      return send("POST", "/api/v1/namespaces/" + ns + "/pods", pod(ns, name, annotation));
    }

    void createNext() throws IOException {
      String name = "p-" + tag + "-" + id + "-" + (next++);
      mine.add((ObjectNode) create("bench", name, null));
    }

    void getOne() throws IOException {
      if (mine.isEmpty()) createNext();
      String name = mine.get(ThreadLocalRandom.current().nextInt(mine.size())).path("metadata").path("name").asText();
      send("GET", "/api/v1/namespaces/bench/pods/" + name, null, false);
    }

    void list() throws IOException {
      send("GET", "/api/v1/namespaces/bench-list/pods", null, false);
    }

    /** PUT of a pod this client owns, with a changed label and the resourceVersion it last saw. */
    void updateOne() throws IOException {
      if (mine.isEmpty()) createNext();
      int i = ThreadLocalRandom.current().nextInt(mine.size());
      ObjectNode obj = mine.get(i).deepCopy();
      obj.with("metadata").with("labels").put("rev", Long.toString(next++));
      mine.set(i, (ObjectNode) send("PUT", "/api/v1/namespaces/bench/pods/" + obj.path("metadata").path("name").asText(), obj.toString()));
    }

    void createWatched(String name) throws IOException {
      long sent = System.nanoTime();
      create("bench-watch", name, Long.toString(sent));
    }
  }

  private static void waitForServiceAccounts(Client c) throws Exception {
    for (String ns : List.of("bench", "bench-list", "bench-watch", "bench-kubectl")) {
      for (int i = 0; i < 100; i++) {
        try {
          c.send("GET", "/api/v1/namespaces/" + ns + "/serviceaccounts/default", null);
          break;
        } catch (IOException e) {
          Thread.sleep(50);
        }
      }
    }
  }

  static SSLContext adminTls(ClusterPki pki) throws Exception {
    CertKey admin = pki.client(ClusterPki.USERS.get(0));
    char[] pw = "kubelab".toCharArray();
    KeyStore ks = Pki.keyStore(admin, pki.ca(), pw);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(Pki.trustStore(pki.ca().cert()));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  // ---- kubectl ----

  private static KubectlResult kubectl(ControlPlane cp, Options o, Consumer<String> progress) throws Exception {
    String version;
    Path cache = Files.createTempDirectory("kubelab-bench-kubectl-cache");
    try {
      try {
        version = runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, List.of("version", "--client")).output().trim();
      } catch (IOException e) {
        return KubectlResult.skipped("kubectl not runnable: " + e.getMessage());
      }
      List<String> getPods = List.of("get", "pods", "-n", "bench-kubectl");
      List<String> client = List.of("version", "--client");
      Run check = runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, getPods);
      if (check.code() != 0 || !check.output().startsWith("NAME")) {
        return KubectlResult.skipped("kubectl get pods failed: " + check.output().trim());
      }
      for (int i = 0; i < 2; i++) { // warm: the discovery cache, the page cache, the dispatcher
        runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, getPods);
        runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, client);
      }
      progress.accept("timing kubectl get pods against kubectl version --client, " + o.kubectlRuns() + " runs each, interleaved");
      long[] g = new long[o.kubectlRuns()];
      long[] v = new long[o.kubectlRuns()];
      for (int i = 0; i < o.kubectlRuns(); i++) {
        v[i] = runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, client).nanos();
        g[i] = runKubectl(o.kubectlCommand(), cp.kubeconfig(), cache, getPods).nanos();
      }
      Arrays.sort(g);
      Arrays.sort(v);
      double gm = median(g);
      double vm = median(v);
      String shortVersion = version.lines().filter(l -> l.startsWith("Client Version")).findFirst().orElse(version);
      return new KubectlResult(shortVersion, o.kubectlRuns(), KUBECTL_PODS, gm, g[0] / 1e6, vm, v[0] / 1e6, gm / vm, null);
    } finally {
      deleteTree(cache);
    }
  }

  private static double median(long[] sorted) {
    int n = sorted.length;
    return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e6;
  }

  record Run(int code, String output, long nanos) {}

  private static Run runKubectl(String kubectl, Path kubeconfig, Path cache, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(kubectl);
    cmd.addAll(args);
    cmd.add("--cache-dir=" + cache);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    long nanos = System.nanoTime() - t0;
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), nanos);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
