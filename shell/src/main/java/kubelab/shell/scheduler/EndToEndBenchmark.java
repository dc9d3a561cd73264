package kubelab.shell.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.client.KubeClient;
import kubelab.client.KubeConfig;
import kubelab.scheduler.SchedulerListener;
import kubelab.scheduler.bench.Throughput;
import kubelab.scheduler.bench.Workload;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.server.SchedulerServer;
import kubelab.store.server.EmbeddedCluster;

/**
 * The scheduler end to end: a 3-member Raft store in this JVM, the API server over it (TLS, authn,
 * admission, watch), fake nodes and pending pods created through the API, then a
 * {@link SchedulerServer} (informers, queue, binds through {@code pods/binding}, events) schedules
 * them. Like scheduler_perf, the clients are not rate-limited; unlike it, the pods are all created
 * before the scheduler starts, so the figure is scheduling + binding, not pod creation.
 *
 * <p>Throughput is measured from the scheduler's start (caches synced) to each completed bind
 * (the API server answered), averaged over 1-second windows; latency is the scheduling attempt.
 */
final class EndToEndBenchmark {
  record Result(int nodes, int pods, int bound, double podsPerSecond, double p50Millis, double p99Millis, double seconds) {}

  private EndToEndBenchmark() {}

  static Result run(int nodes, int pods, Consumer<String> progress) throws Exception {
    progress.accept("end to end: starting a 3-member Raft store and the API server");
    try (EmbeddedCluster store = EmbeddedCluster.start(3, null, s -> {})) {
      store.awaitLeader(Duration.ofSeconds(30));
      try (TestApiServer api = TestApiServer.builder().store(store.client()).start();
           KubeClient client = KubeClient.create(KubeConfig.load(api.kubeconfig()).clientConfig(null).toBuilder().rateLimit(0, 0).build())) {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
          progress.accept("end to end: creating " + nodes + " nodes through the API");
          parallel(pool, nodes, i -> client.nodes().create(Workload.BASIC.node(i)));
          progress.accept("end to end: creating " + pods + " pending pods through the API");
          parallel(pool, pods, i -> client.pods("default").create(Workload.BASIC.pod(i, false)));
        } finally {
          pool.shutdownNow();
        }
        long[] done = new long[pods];
        long[] attempt = new long[pods];
        AtomicInteger count = new AtomicInteger();
        long[] start = new long[1];
        SchedulerListener l = new SchedulerListener() {
          @Override
          public void bound(PodInfo pod, String node, long attemptNanos, long e2eNanos) {
            int i = count.getAndIncrement();
            if (i < pods) {
              done[i] = System.nanoTime();
              attempt[i] = attemptNanos;
            }
          }
        };
        progress.accept("end to end: scheduling " + pods + " pods on " + nodes + " nodes");
        try (SchedulerServer s = SchedulerServer.builder(client).leaderElection(false).binderThreads(Integer.getInteger("kubelab.bench.binders", 32)).listener(l).build()) {
          s.start(Duration.ofSeconds(60));
          long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
          while (count.get() < pods && System.nanoTime() < deadline) Thread.sleep(5);
          // The clock starts when scheduling starts (the caches are synced), not at the initial LIST.
          start[0] = s.schedulingStartedNanos();
          long elapsed = System.nanoTime() - start[0];
          int n = Math.min(count.get(), pods);
          for (int i = 0; i < n; i++) done[i] -= start[0];
          return new Result(nodes, pods, n, Throughput.averageOfWindows(done, n), Throughput.percentile(attempt, n, 50) / 1e6,
              Throughput.percentile(attempt, n, 99) / 1e6, elapsed / 1e9);
        }
      }
    }
  }

  interface IntTask {
    void run(int i) throws Exception;
  }

  private static void parallel(ExecutorService pool, int n, IntTask task) throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    int chunks = 16;
    for (int c = 0; c < chunks; c++) {
      final int from = c;
      fs.add(pool.submit(() -> {
        for (int i = from; i < n; i += chunks) task.run(i);
        return null;
      }));
    }
    for (Future<?> f : fs) f.get();
  }
}
