package kubelab.store.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Single-server membership changes (dissertation §4.1) end to end in the embedded cluster: a member
 * added under load catches up (from the log, or from a snapshot once the log is compacted), a
 * removed leader steps down, the membership survives restarts (WAL and snapshot), and changes
 * that would break the cluster are refused.
 */
class EmbeddedClusterMembershipTest {
  @TempDir Path tmp;
  private EmbeddedCluster cluster;
  private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (cluster != null) cluster.close();
  }

  private EmbeddedCluster start(Path dir, long snapshotCount) throws Exception {
    cluster = EmbeddedCluster.start(3, dir, events::add,
        c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofMillis(3000)).withSnapshotCount(snapshotCount).withWalSegmentBytes(1 << 20));
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

  private static List<String> names(Membership m) {
    return m.members().stream().map(Peers.Peer::name).toList();
  }

  /** Every running member has applied the same state and counts {@code voters} voters. */
  private void awaitSameState(int voters, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Member> ms = cluster.running();
      long rev = ms.get(0).keyspace().revision();
      long hash = ms.get(0).keyspace().hash();
      boolean same = true;
      for (Member m : ms) {
        same &= m.keyspace().revision() == rev && m.keyspace().hash() == hash && m.status().voters().size() == voters;
      }
      if (same) return;
      if (System.nanoTime() > deadline) fail("members did not converge: " + cluster.status());
      Thread.sleep(20);
    }
  }

  /** What to print when the test fails: the members' status and the last event lines. */
  private String context() {
    List<String> ev;
    synchronized (events) {
      ev = new ArrayList<>(events.subList(Math.max(0, events.size() - 40), events.size()));
    }
    return cluster.status() + "\n" + String.join("\n", ev);
  }

  @Test
  void theClusterGrowsToFourAndShrinksToThreeUnderLoadAndStaysLinearizable_4_1() throws Exception {
    start(tmp, 300); // snapshots happen during the run, so restarts read membership from them too
    Workload load = new Workload(3, () -> cluster.client(), false);
    Duration stall = Duration.ofSeconds(20);
    load.awaitWrites(50, stall, this::context);

    Member s4 = cluster.addMember("s4");
    assertEquals(4, s4.id());
    assertEquals(List.of("s1", "s2", "s3", "s4"), names(cluster.membership()));
    load.awaitWrites(50, stall, this::context);

    // Remove the leader: it steps down once the change commits, and the other three elect one.
    Member leader = cluster.awaitLeader(Duration.ofSeconds(5));
    MembershipChange c = cluster.removeMember(leader.name());
    assertEquals(leader.name(), c.member().name());
    assertEquals(3, c.members().size());
    Member next = cluster.awaitLeader(Duration.ofSeconds(10));
    assertNotEquals(leader.name(), next.name());
    assertThrows(IllegalArgumentException.class, () -> cluster.restart(leader.name()), "a removed member cannot come back");
    load.awaitWrites(50, stall, this::context);

    // Restart a member after the changes: it comes back with the current members.
    String other = cluster.running().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow().name();
    cluster.kill(other);
    load.awaitWrites(20, stall, this::context);
    Member back = cluster.restart(other);
    load.awaitWrites(50, stall, this::context);

    load.stop();
    awaitSameState(3, Duration.ofSeconds(20));
    List<String> want = new ArrayList<>(List.of("s1", "s2", "s3", "s4"));
    want.remove(leader.name());
    for (Member m : cluster.running()) assertEquals(want, names(m.membership()), m.name());
    assertEquals(want.stream().map(n -> (long) Integer.parseInt(n.substring(1))).toList(), back.status().voters());
    System.out.println("embedded membership: " + load.verify(cluster.client(), 200, 200));
  }

  @Test
  void aMemberAddedAfterTheLogWasCompactedCatchesUpFromASnapshot_7() throws Exception {
    start(tmp, 50);
    KvStore kv = cluster.client();
    for (int i = 0; i < 300; i++) get(kv.put(PutRequest.of("/s/" + (i % 40), ("v" + i).getBytes(UTF_8))));
    Member s4 = cluster.addMember("s4");
    awaitSameState(4, Duration.ofSeconds(20));
    assertTrue(events.stream().anyMatch(l -> l.startsWith("s4: installing snapshot")), "s4 installed a snapshot");
    assertEquals(40, get(s4.range(RangeRequest.prefix("/s/").withSerializable(true))).count());
    assertEquals(List.of("s1", "s2", "s3", "s4"), names(s4.membership()), "the membership came with the snapshot");
    // and it restarts from its own snapshot, membership included
    cluster.kill("s4");
    get(kv.put(PutRequest.of("/after", "1".getBytes(UTF_8))));
    Member again = cluster.restart("s4");
    awaitSameState(4, Duration.ofSeconds(20));
    assertEquals(List.of("s1", "s2", "s3", "s4"), names(again.membership()));
  }

  @Test
  void theCurrentMembersSurviveAFullRestartNotTheFoundingOnes() throws Exception {
    start(tmp, 100_000);
    KvStore kv = cluster.client();
    get(kv.put(PutRequest.of("/x", "1".getBytes(UTF_8))));
    cluster.addMember("s4");
    cluster.removeMember("s1");
    awaitSameState(3, Duration.ofSeconds(10));
    for (Member m : cluster.running()) cluster.kill(m.name());
    // s3 and s4 are a majority of the members now (s2, s3, s4), but only one of the founders
    // (s1, s2, s3): they elect a leader only if they came back with the current membership.
    cluster.restart("s3");
    cluster.restart("s4");
    Member leader = cluster.awaitLeader(Duration.ofSeconds(10));
    assertTrue(List.of("s3", "s4").contains(leader.name()));
    assertEquals(List.of(2L, 3L, 4L), leader.status().voters());
    get(kv.put(PutRequest.of("/x", "2".getBytes(UTF_8))));
    assertEquals("2", new String(get(kv.range(RangeRequest.key("/x"))).kvs().get(0).value(), UTF_8));
  }

  @Test
  void changesThatWouldBreakTheClusterAreRefused() throws Exception {
    start(null, 100_000);
    Member leader = cluster.awaitLeader(Duration.ofSeconds(5));
    StoreException taken = assertThrows(StoreException.class, () -> get(leader.memberAdd("s2", "in-process:99")));
    assertEquals(StoreException.Code.FAILED_PRECONDITION, taken.code());
    assertTrue(taken.getMessage().contains("name exists"), taken.getMessage());
    StoreException unknown = assertThrows(StoreException.class, () -> get(leader.memberRemove("s9")));
    assertTrue(unknown.getMessage().contains("member s9 not found"), unknown.getMessage());
    // With one of three down, a fourth member would need 3 of 4 for a quorum: etcd's strict
    // reconfiguration check refuses to add it before it has started.
    String down = cluster.running().stream().filter(m -> m != leader).findFirst().orElseThrow().name();
    cluster.kill(down);
    Thread.sleep(300); // an election timeout: the leader notices who is active
    StoreException few = assertThrows(StoreException.class, () -> get(leader.memberAdd("s4", "in-process:4")));
    assertTrue(few.getMessage().contains("not enough started members"), few.getMessage());
    assertEquals(3, leader.status().voters().size());
    assertFalse(events.stream().anyMatch(l -> l.contains("applied membership change") && l.contains("s4")), "nothing was applied");
  }
}
