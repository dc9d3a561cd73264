package kubelab.store.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kubelab.store.KvStore;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated store under faults: leader loss, minority and majority loss, partitions, restarts
 * from the WAL, and followers so far behind that they need a snapshot (§7).
 */
class EmbeddedClusterFaultTest {
  @TempDir Path tmp;
  private EmbeddedCluster cluster;
  private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  private EmbeddedCluster start(Path dir, long snapshotCount) throws Exception {
    cluster = EmbeddedCluster.start(3, dir, events::add,
        c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofMillis(1500)).withSnapshotCount(snapshotCount).withWalSegmentBytes(1 << 20));
    cluster.awaitLeader(Duration.ofSeconds(10));
    return cluster;
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /**
   * A put retried while its outcome is unknown: a proposal a follower forwarded to a leader that
   * died is lost, and (as with etcd) the request times out. Re-putting the same value is harmless.
   */
  private static void putSurely(KvStore kv, String k, String v) throws Exception {
    for (int i = 0; ; i++) {
      try {
        get(kv.put(put(k, v)));
        return;
      } catch (StoreException e) {
        if (e.code() != StoreException.Code.TIMEOUT || i == 3) throw e;
      }
    }
  }

  private static PutRequest put(String k, String v) {
    return PutRequest.of(k, v.getBytes(UTF_8));
  }

  private void awaitSameState(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Member> ms = cluster.running();
      long rev = ms.get(0).keyspace().revision();
      long hash = ms.get(0).keyspace().hash();
      boolean same = true;
      for (Member m : ms) same &= m.keyspace().revision() == rev && m.keyspace().hash() == hash;
      if (same) return;
      if (System.nanoTime() > deadline) fail("members did not converge: " + cluster.status());
      Thread.sleep(20);
    }
  }

  @Test
  void killingTheLeaderElectsANewOneAndWritesContinue() throws Exception {
    start(null, 100_000);
    KvStore kv = cluster.client();
    get(kv.put(put("/a", "1")));
    Member old = cluster.awaitLeader(Duration.ofSeconds(5));
    long t0 = System.nanoTime();
    cluster.kill(old.name());
    Member fresh = cluster.awaitLeader(Duration.ofSeconds(10));
    long electionMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertNotEquals(old.name(), fresh.name());
    // "within a few election timeouts": timeouts here are 10 ticks of 10 ms.
    assertTrue(electionMs < 2000, "new leader after " + electionMs + " ms");
    putSurely(kv, "/a", "2");
    assertArrayEquals("2".getBytes(UTF_8), get(kv.range(RangeRequest.key("/a"))).kvs().get(0).value());
    cluster.restart(old.name());
    awaitSameState(Duration.ofSeconds(10));
  }

  @Test
  void losingAMajorityStopsWritesAndRestoringItResumesThem() throws Exception {
    start(null, 100_000);
    KvStore kv = cluster.client();
    get(kv.put(put("/q", "1")));
    cluster.kill("s2");
    putSurely(kv, "/q", "2"); // one of three down: still a majority
    cluster.kill("s3");
    Member s1 = cluster.member("s1");
    try {
      get(s1.put(put("/q", "3")));
      fail("a write committed without a majority");
    } catch (StoreException e) {
      assertEquals(StoreException.Code.TIMEOUT, e.code(), e.getMessage());
    }
    cluster.restart("s2");
    putSurely(kv, "/q", "4");
    assertArrayEquals("4".getBytes(UTF_8), get(kv.range(RangeRequest.key("/q"))).kvs().get(0).value());
  }

  @Test
  void aPartitionedOldLeaderCannotServeALinearizableRead_6_4() throws Exception {
    start(null, 100_000);
    Member old = cluster.awaitLeader(Duration.ofSeconds(5));
    get(old.put(put("/r", "before")));
    awaitSameState(Duration.ofSeconds(5));
    cluster.network().isolate(old.id());
    // The majority elects a new leader and takes a write.
    Member fresh = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fresh == null) {
      for (Member m : cluster.running()) if (m != old && m.isLeader()) fresh = m;
      assertTrue(System.nanoTime() < deadline, "no new leader in the majority");
      Thread.sleep(10);
    }
    get(fresh.put(put("/r", "after")));
    // The old leader's serializable read is stale; its linearizable read must not answer "before".
    assertArrayEquals("before".getBytes(UTF_8), get(old.range(RangeRequest.key("/r").withSerializable(true))).kvs().get(0).value());
    try {
      var r = get(old.range(RangeRequest.key("/r")));
      fail("a partitioned member answered a linearizable read: " + new String(r.kvs().get(0).value(), UTF_8));
    } catch (StoreException e) {
      assertEquals(StoreException.Code.TIMEOUT, e.code());
    }
    cluster.network().heal();
    awaitSameState(Duration.ofSeconds(10));
    assertArrayEquals("after".getBytes(UTF_8), get(old.range(RangeRequest.key("/r"))).kvs().get(0).value());
  }

  @Test
  void membersRestartedFromTheirWalKeepEveryAcknowledgedWrite() throws Exception {
    start(tmp, 100_000);
    KvStore kv = cluster.client();
    for (int i = 0; i < 200; i++) get(kv.put(put("/w/" + i, "v" + i)));
    for (Member m : cluster.running()) cluster.kill(m.name());
    for (String n : List.of("s1", "s2", "s3")) cluster.restart(n);
    cluster.awaitLeader(Duration.ofSeconds(10));
    assertEquals(200, get(kv.range(RangeRequest.prefix("/w/"))).count());
    awaitSameState(Duration.ofSeconds(10));
  }

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpFromASnapshot_7() throws Exception {
    start(tmp, 50);
    KvStore kv = cluster.client();
    Member leader = cluster.awaitLeader(Duration.ofSeconds(5));
    String follower = cluster.running().stream().filter(m -> m != leader).findFirst().orElseThrow().name();
    cluster.kill(follower);
    for (int i = 0; i < 400; i++) get(kv.put(put("/s/" + (i % 50), "v" + i)));
    cluster.restart(follower);
    awaitSameState(Duration.ofSeconds(20));
    assertTrue(events.stream().anyMatch(l -> l.startsWith(follower + ": installing snapshot")), "the follower installed a snapshot");
    // and it restarts from that snapshot too
    cluster.kill(follower);
    cluster.restart(follower);
    awaitSameState(Duration.ofSeconds(20));
  }

  @Test
  void aLeaseExpiresThroughTheLogEvenAfterTheLeaderChanges() throws Exception {
    start(null, 100_000);
    KvStore kv = cluster.client();
    var lease = get(kv.leaseGrant(2));
    get(kv.put(new PutRequest("/l", new byte[] {1}, lease.id(), false)));
    cluster.kill(cluster.awaitLeader(Duration.ofSeconds(5)).name());
    cluster.awaitLeader(Duration.ofSeconds(10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (get(kv.range(RangeRequest.key("/l"))).count() != 0) {
      assertTrue(System.nanoTime() < deadline, "the key of an expired lease is still there");
      Thread.sleep(100);
    }
    assertEquals(-1, get(kv.leaseTimeToLive(lease.id(), false)).ttlSeconds());
  }

  @Test
  void theEmbeddedStoreAnswersTcpClientsAndAKilledMemberRefusesThem() throws Exception {
    start(null, 100_000);
    List<java.net.InetSocketAddress> eps = cluster.listenForClients(List.of(
        new java.net.InetSocketAddress("127.0.0.1", 0), new java.net.InetSocketAddress("127.0.0.1", 0),
        new java.net.InetSocketAddress("127.0.0.1", 0)));
    try (kubelab.store.client.FailoverKvStore kv = kubelab.store.client.RemoteKvStore.connect(eps)) {
      get(kv.put(put("/tcp", "1")));
      assertArrayEquals("1".getBytes(UTF_8), get(cluster.client().range(RangeRequest.key("/tcp"))).kvs().get(0).value());
      cluster.kill("s1");
      try (kubelab.store.client.RemoteKvStore one = new kubelab.store.client.RemoteKvStore(eps.get(0))) {
        try {
          get(one.range(RangeRequest.key("/tcp").withSerializable(true)));
          fail("a killed member answered");
        } catch (StoreException e) {
          assertTrue(e.code() == StoreException.Code.UNAVAILABLE || e.code() == StoreException.Code.TIMEOUT, e.getMessage());
        }
      }
      assertEquals(1, get(kv.range(RangeRequest.key("/tcp"))).count()); // the failover client moves on
    }
  }

  @Test
  void autoCompactionKeepsTheLastRevisionsOnEveryMember() throws Exception {
    cluster = EmbeddedCluster.start(3, null, events::add,
        c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofMillis(1500)).withAutoCompactionRetention(10));
    cluster.awaitLeader(Duration.ofSeconds(10));
    KvStore kv = cluster.client();
    long last = 0;
    for (int i = 0; i < 50; i++) last = get(kv.put(put("/ac", "v" + i))).revision();
    // The put was answered by the member the client talked to once *it* applied the entry; the
    // leader's apply thread may not be there yet, and auto-compaction counts back from the
    // leader's own revision. So the timer fires after the leader applied the last write.
    Member leader = cluster.awaitLeader(Duration.ofSeconds(10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (leader.keyspace().revision() < last) {
      assertTrue(System.nanoTime() < deadline, "the leader did not apply revision " + last + ": " + cluster.status());
      Thread.sleep(5);
    }
    assertTrue(leader.isLeader(), "the leader changed during the test: " + cluster.status());
    leader.autoCompact(); // what the leader's timer does every AUTO_COMPACTION_INTERVAL
    long want = last - 10;
    while (cluster.running().stream().anyMatch(m -> m.keyspace().compactRevision() != want)) {
      assertTrue(System.nanoTime() < deadline, "not compacted to " + want + ": " + cluster.status());
      Thread.sleep(20);
    }
    assertEquals(StoreException.Code.COMPACTED, assertThrowsStore(() -> get(kv.range(RangeRequest.key("/ac").atRevision(want - 1)))));
  }

  private static StoreException.Code assertThrowsStore(java.util.concurrent.Callable<?> c) throws Exception {
    try {
      c.call();
    } catch (StoreException e) {
      return e.code();
    }
    return fail("no StoreException");
  }

  @Test
  void writesFromManyClientsAllCommitInOneOrderOnEveryMember() throws Exception {
    start(null, 100_000);
    KvStore kv = cluster.client();
    List<CompletableFuture<KvStore.PutResponse>> fs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) fs.add(kv.put(put("/m/" + (i % 100), "v" + i)));
    Set<Long> revs = new java.util.HashSet<>();
    for (var f : fs) assertTrue(revs.add(get(f).revision()), "two writes got one revision");
    assertEquals(2000, revs.size());
    awaitSameState(Duration.ofSeconds(10));
  }
}
