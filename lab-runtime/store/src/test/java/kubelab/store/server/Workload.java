package kubelab.store.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import kubelab.raft.check.CheckResult;
import kubelab.raft.check.KvModel;
import kubelab.raft.check.LinearizabilityChecker;
import kubelab.raft.check.Operation;
import kubelab.store.KvStore;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.TxnRequest;
import kubelab.store.StoreException;

/**
 * The load the fault tests run while they break things: register clients doing puts, gets and
 * compare-and-sets on a few keys (every call, answer and time recorded for the linearizability
 * checker, kubelab.raft.check), and a writer of fresh keys that remembers every acknowledged one.
 * {@link #stop} ends it; {@link #verify} checks that every acknowledged write is there and that
 * the history is linearizable.
 */
final class Workload {
  private static final int KEYS = 4;

  private final List<Operation<KvModel.Input, KvModel.Output>> history = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  /** Starts {@code clients} register clients and one ack writer; each thread gets a store from {@code connect} and closes it. */
  Workload(int clients, Supplier<KvStore> connect, boolean closeStores) {
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(start("register-client-" + c, () -> registerClient(connect, closeStores, client)));
    }
    threads.add(start("ack-writer", () -> ackWriter(connect, closeStores)));
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  int acknowledged() {
    return acked.size();
  }

  int operations() {
    return history.size();
  }

  /**
   * Waits until {@code n} more writes are acknowledged: the store is available for writes (now,
   * after whatever the caller just did to it). Fails after {@code timeout} with {@code context}.
   */
  void awaitWrites(int n, java.time.Duration timeout, Supplier<String> context) throws InterruptedException {
    int want = acked.size() + n;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acked.size() < want) {
      assertTrue(System.nanoTime() < deadline, "writes stalled: " + (want - acked.size()) + " of " + n + " not acknowledged within "
          + timeout.toSeconds() + " s; " + context.get());
      Thread.sleep(10);
    }
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) t.join(40_000);
  }

  /** Every acknowledged write is in {@code kv}, and the history is linearizable; returns a one-line summary. */
  String verify(KvStore kv, int minAcked, int minOps) throws Exception {
    var all = kv.range(RangeRequest.prefix("/ack/")).get(20, TimeUnit.SECONDS);
    Set<String> present = ConcurrentHashMap.newKeySet();
    all.kvs().forEach(x -> present.add(x.key()));
    List<String> missing = acked.stream().filter(k -> !present.contains(k)).sorted().toList();
    assertTrue(acked.size() >= minAcked, "the writer got only " + acked.size() + " acknowledgements");
    assertEquals(List.of(), missing, "acknowledged writes lost");
    List<Operation<KvModel.Input, KvModel.Output>> h;
    synchronized (history) {
      h = new ArrayList<>(history);
    }
    assertTrue(h.size() >= minOps, "only " + h.size() + " operations");
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
    assertEquals(CheckResult.Outcome.OK, r.outcome(), r.explanation());
    return String.format("%d operations (%d of unknown outcome), %d acknowledged writes all present; linearizability: %s in %d steps",
        h.size(), h.stream().filter(Operation::outcomeUnknown).count(), acked.size(), r.outcome(), r.steps());
  }

  private void registerClient(Supplier<KvStore> connect, boolean close, int c) {
    Random rnd = new Random(c);
    int id = c * 1000;
    int n = 0;
    KvStore kv = connect.get();
    try {
      while (running.get()) {
        String key = "/lin/k" + rnd.nextInt(KEYS);
        String value = "c" + c + "-" + (n++);
        int kind = rnd.nextInt(3);
        KvModel.Input in;
        if (kind == 0) {
          in = KvModel.Input.put(key, value);
        } else if (kind == 1) {
          in = KvModel.Input.get(key);
        } else {
          String expected = rnd.nextBoolean() ? null : "c" + rnd.nextInt(4) + "-" + Math.max(0, n - 1 - rnd.nextInt(3));
          in = KvModel.Input.cas(key, expected, value);
        }
        long t0 = System.nanoTime();
        try {
          KvModel.Output out;
          if (kind == 0) {
            kv.put(PutRequest.of(key, value.getBytes(UTF_8))).get(30, TimeUnit.SECONDS);
            out = KvModel.Output.OK;
          } else if (kind == 1) {
            var r = kv.range(RangeRequest.key(key)).get(30, TimeUnit.SECONDS);
            out = KvModel.Output.value(r.kvs().isEmpty() ? null : new String(r.kvs().get(0).value(), UTF_8));
          } else {
            Compare cmp = in.expected() == null ? Compare.version(key, Compare.Result.EQUAL, 0)
                : Compare.value(key, Compare.Result.EQUAL, in.expected().getBytes(UTF_8));
            var r = kv.txn(new TxnRequest(List.of(cmp), List.of(PutRequest.of(key, value.getBytes(UTF_8))), List.of()))
                .get(30, TimeUnit.SECONDS);
            out = KvModel.Output.swapped(r.succeeded());
          }
          history.add(new Operation<>(id, in, out, t0, System.nanoTime()));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          boolean neverSent = e.getCause() instanceof StoreException s && s.code() == StoreException.Code.UNAVAILABLE;
          if (!neverSent && kind != 1) {
            // Outcome unknown: it may take effect at any later time. This client is then "stuck" in
            // that operation for the checker, so carry on under a new client id.
            history.add(new Operation<>(id, in, null, t0, Operation.UNKNOWN));
            id++;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (close) kv.close();
    }
  }

  private void ackWriter(Supplier<KvStore> connect, boolean close) {
    int n = 0;
    KvStore kv = connect.get();
    try {
      while (running.get()) {
        String key = String.format("/ack/%06d", n++);
        try {
          kv.put(PutRequest.of(key, new byte[] {1})).get(30, TimeUnit.SECONDS);
          acked.add(key);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // not acknowledged: may or may not be there, and either is fine
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (close) kv.close();
    }
  }
}
