package kubelab.store.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes over TCP on loopback, under load, SIGKILLed and restarted: the leader
 * first, then a follower. Afterwards every acknowledged write is present, the members agree, and
 * the history of reads, writes and compare-and-sets the clients saw is linearizable (checked by
 * kubelab.raft.check, the simulation's checker).
 *
 * <p>{@code -Dkubelab.store.soakSeconds=N} stretches each phase of the schedule (default 2).
 */
class MultiProcessStoreTest {
  @TempDir Path tmp;

  private static final int CLIENTS = 4;
  private static final int KEYS = 4;

  private final List<Operation<KvModel.Input, KvModel.Output>> history = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @Test
  void everyAcknowledgedWriteSurvivesKillingTheLeaderThenAFollowerAndTheHistoryIsLinearizable() throws Exception {
    long phase = Long.getLong("kubelab.store.soakSeconds", 2) * 1000;
    try (MemberProcesses ms = new MemberProcesses(tmp, 3, List.of("-XX:+UseSerialGC", "-Xmx256m"),
        List.of("--tick-ms", "50", "--election-ticks", "10", "--wal-segment-bytes", String.valueOf(4 << 20), "--snapshot-count", "2000"))) {
      ms.startAll();
      String leader = ms.awaitLeader(Duration.ofSeconds(20));
      List<Thread> load = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) load.add(startRegisterClient(ms, c));
      load.add(startAckWriter(ms));
      Thread.sleep(phase);

      // 1. SIGKILL the leader: a new one within a few election timeouts (10-20 ticks of 50 ms).
      long t0 = System.nanoTime();
      ms.kill(leader);
      String next = ms.awaitLeader(Duration.ofSeconds(10));
      long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertNotEquals(leader, next);
      assertTrue(electedMs < 5_000, "new leader after " + electedMs + " ms");
      Thread.sleep(phase);
      ms.start(leader);
      Thread.sleep(phase);

      // 2. SIGKILL a follower, restart it.
      String now = ms.awaitLeader(Duration.ofSeconds(10));
      String follower = ms.names().stream().filter(n -> !n.equals(now)).findFirst().orElseThrow();
      ms.kill(follower);
      Thread.sleep(phase);
      ms.start(follower);
      Thread.sleep(phase);

      running.set(false);
      for (Thread t : load) t.join(30_000);

      // Every member converges on the same applied index and revision.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        List<MemberStatus> st = ms.status();
        if (st.size() == 3 && st.stream().map(MemberStatus::revision).distinct().count() == 1
            && st.stream().map(MemberStatus::applied).distinct().count() == 1) break;
        assertTrue(System.nanoTime() < deadline, "members did not converge: " + st);
        Thread.sleep(100);
      }

      // Every acknowledged write is there.
      try (FailoverKvStore kv = RemoteKvStore.connect(ms.endpoints())) {
        var all = kv.range(RangeRequest.prefix("/ack/")).get(20, TimeUnit.SECONDS);
        Set<String> present = ConcurrentHashMap.newKeySet();
        all.kvs().forEach(x -> present.add(x.key()));
        List<String> missing = acked.stream().filter(k -> !present.contains(k)).sorted().toList();
        assertTrue(acked.size() > 50, "the writer got only " + acked.size() + " acknowledgements");
        assertEquals(List.of(), missing, "acknowledged writes lost");
      }

      List<Operation<KvModel.Input, KvModel.Output>> h;
      synchronized (history) {
        h = new ArrayList<>(history);
      }
      assertTrue(h.size() > 200, "only " + h.size() + " operations");
      CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
      System.out.printf("multi-process store: new leader %d ms after SIGKILL; %d operations (%d of unknown outcome), %d acknowledged"
          + " writes all present; linearizability: %s in %d steps%n", electedMs, h.size(),
          h.stream().filter(Operation::outcomeUnknown).count(), acked.size(), r.outcome(), r.steps());
      assertEquals(CheckResult.Outcome.OK, r.outcome(), r.explanation());
    }
  }

  private static FailoverKvStore client(MemberProcesses ms) {
    return RemoteKvStore.connect(ms.endpoints());
  }

  /** Puts, gets and compare-and-sets on a few keys, recording each operation's call, answer and times. */
  private Thread startRegisterClient(MemberProcesses ms, int c) {
    Thread t = new Thread(() -> {
      Random rnd = new Random(c);
      int id = c * 1000;
      int n = 0;
      try (FailoverKvStore kv = client(ms)) {
        while (running.get()) {
          String key = "/lin/k" + rnd.nextInt(KEYS);
          String value = "c" + c + "-" + (n++);
          int kind = rnd.nextInt(3);
          KvModel.Input in;
          long t0 = System.nanoTime();
          KvModel.Output out;
          try {
            if (kind == 0) {
              in = KvModel.Input.put(key, value);
              kv.put(PutRequest.of(key, value.getBytes(UTF_8))).get(30, TimeUnit.SECONDS);
              out = KvModel.Output.OK;
            } else if (kind == 1) {
              in = KvModel.Input.get(key);
              var r = kv.range(RangeRequest.key(key)).get(30, TimeUnit.SECONDS);
              out = KvModel.Output.value(r.kvs().isEmpty() ? null : new String(r.kvs().get(0).value(), UTF_8));
            } else {
              String expected = rnd.nextBoolean() ? null : "c" + rnd.nextInt(CLIENTS) + "-" + Math.max(0, n - 1 - rnd.nextInt(3));
              in = KvModel.Input.cas(key, expected, value);
              Compare cmp = expected == null ? Compare.version(key, Compare.Result.EQUAL, 0)
                  : Compare.value(key, Compare.Result.EQUAL, expected.getBytes(UTF_8));
              var r = kv.txn(new TxnRequest(List.of(cmp), List.of(PutRequest.of(key, value.getBytes(UTF_8))), List.of()))
                  .get(30, TimeUnit.SECONDS);
              out = KvModel.Output.swapped(r.succeeded());
            }
            history.add(new Operation<>(id, in, out, t0, System.nanoTime()));
          } catch (java.util.concurrent.ExecutionException e) {
            boolean neverSent = e.getCause() instanceof StoreException s && s.code() == StoreException.Code.UNAVAILABLE;
            if (!neverSent && kind != 1) {
              // Outcome unknown: it may take effect at any later time. This client is then "stuck" in
              // that operation for the checker, so carry on under a new client id.
              history.add(new Operation<>(id, kind == 0 ? KvModel.Input.put(key, value)
                  : KvModel.Input.cas(key, null, value), null, t0, Operation.UNKNOWN));
              id++;
            }
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "register-client-" + c);
    t.start();
    return t;
  }

  /** Puts fresh keys one after another; remembers each acknowledged one. */
  private Thread startAckWriter(MemberProcesses ms) {
    Thread t = new Thread(() -> {
      int n = 0;
      try (FailoverKvStore kv = client(ms)) {
        while (running.get()) {
          String key = String.format("/ack/%06d", n++);
          try {
            kv.put(PutRequest.of(key, new byte[] {1})).get(30, TimeUnit.SECONDS);
            acked.add(key);
          } catch (java.util.concurrent.ExecutionException e) {
            // not acknowledged: may or may not be there, and either is fine
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "ack-writer");
    t.start();
    return t;
  }
}
