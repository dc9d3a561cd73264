package kubelab.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member processes over TCP on loopback, under load, SIGKILLed and restarted, and the cluster
 * grown from 3 to 4 members and shrunk back to 3 by removing the leader. Afterwards every
 * acknowledged write is present, the members agree, and the history of reads, writes and
 * compare-and-sets the clients saw is linearizable (checked by kubelab.raft.check, the
 * simulation's checker).
 *
 * <p>{@code -Dkubelab.store.soakSeconds=N} stretches each phase of the schedule (default 2).
 */
class MultiProcessStoreTest {
  @TempDir Path tmp;

  @Test
  void everyAcknowledgedWriteSurvivesKillsAndMembershipChangesAndTheHistoryIsLinearizable() throws Exception {
    long phase = Long.getLong("kubelab.store.soakSeconds", 2) * 1000;
    try (MemberProcesses ms = new MemberProcesses(tmp, 3, List.of("-XX:+UseSerialGC", "-Xmx256m"),
        List.of("--tick-ms", "50", "--election-ticks", "10", "--wal-segment-bytes", String.valueOf(4 << 20), "--snapshot-count", "2000"))) {
      ms.startAll();
      String leader = ms.awaitLeader(Duration.ofSeconds(20));
      List<InetSocketAddress> founders = ms.endpoints();
      Workload load = new Workload(4, () -> RemoteKvStore.connect(founders), true);
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

      // 3. Grow to 4: members add through the leader, then s4 joins (--initial-cluster-state existing).
      String lead = ms.awaitLeader(Duration.ofSeconds(10));
      Map<String, InetSocketAddress> current = new LinkedHashMap<>();
      for (String n : ms.names()) current.put(n, InetSocketAddress.createUnresolved("127.0.0.1", ms.address(n).getPort()));
      InetSocketAddress s4 = ms.prepareJoin("s4", current);
      MembershipChange added;
      try (RemoteKvStore r = new RemoteKvStore(ms.address(lead))) {
        added = r.memberAdd("s4", "127.0.0.1:" + s4.getPort()).get(20, TimeUnit.SECONDS);
      }
      assertEquals(4, added.members().size(), added.toString());
      ms.start("s4");
      awaitCaughtUp(ms, "s4", 4, Duration.ofSeconds(30));
      Thread.sleep(phase);
      load.awaitWrites(20, Duration.ofSeconds(20), () -> ms.status().toString());

      // 4. Shrink to 3 by removing the leader: it steps down once the change commits, and exits.
      String removed = ms.awaitLeader(Duration.ofSeconds(10));
      try (RemoteKvStore r = new RemoteKvStore(ms.address(removed))) {
        MembershipChange c = r.memberRemove(removed).get(20, TimeUnit.SECONDS);
        assertEquals(3, c.members().size(), c.toString());
      }
      assertEquals(0, ms.awaitExit(removed, Duration.ofSeconds(20)), ms.tail(removed));
      assertTrue(Files.readString(ms.log(removed)).contains("was removed from the cluster"), ms.tail(removed));
      String after = ms.awaitLeader(Duration.ofSeconds(10));
      assertNotEquals(removed, after);
      Thread.sleep(phase);
      load.awaitWrites(20, Duration.ofSeconds(20), () -> ms.status().toString());

      // 5. Restart a member after the changes (SIGKILL, then its very first command line): it comes
      //    back with the members of its data dir, not the --peers it was first started with.
      String restarted = ms.running().stream().filter(n -> !n.equals(after)).findFirst().orElseThrow();
      ms.kill(restarted);
      Thread.sleep(phase);
      ms.start(restarted);
      Thread.sleep(phase);

      load.stop();
      List<MemberStatus> st = awaitConverged(ms, 3, Duration.ofSeconds(30));
      MemberStatus back = st.stream().filter(s -> s.name().equals(restarted)).findFirst().orElseThrow();
      assertTrue(back.voters().contains(added.member().id()), "the restarted member counts s4 among the voters: " + st);
      for (MemberStatus s : st) {
        assertEquals(3, s.voters().size(), s.name() + " voters " + s.voters());
        assertTrue(st.stream().noneMatch(x -> x.name().equals(removed)), "the removed member answers: " + st);
      }
      try (FailoverKvStore kv = RemoteKvStore.connect(ms.endpoints())) {
        String summary = load.verify(kv, 50, 200);
        boolean fromSnapshot = Files.readString(ms.log("s4")).contains("s4: installing snapshot");
        System.out.printf("multi-process store: new leader %d ms after SIGKILL; grew to 4 (s4 id %d, caught up %s), removed the leader %s; %s%n",
            electedMs, added.member().id(), fromSnapshot ? "from a snapshot" : "from the log", removed, summary);
      }
    }
  }

  /** Waits until every running member counts {@code n} voters and {@code name} applied what the leader had committed. */
  private static void awaitCaughtUp(MemberProcesses ms, String name, int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = -1;
    while (true) {
      List<MemberStatus> st = ms.status();
      if (target < 0) {
        for (MemberStatus s : st) if (s.role().equals("LEADER")) target = s.commit();
      }
      MemberStatus mine = st.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
      if (target >= 0 && mine != null && mine.applied() >= target && st.size() == n && st.stream().allMatch(s -> s.voters().size() == n)) return;
      assertTrue(System.nanoTime() < deadline, name + " did not catch up to " + target + ": " + st);
      Thread.sleep(100);
    }
  }

  /** Waits until {@code n} members answer with one applied index and revision and {@code n} voters; returns their status. */
  private static List<MemberStatus> awaitConverged(MemberProcesses ms, int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<MemberStatus> st = ms.status();
      if (st.size() == n && st.stream().map(MemberStatus::revision).distinct().count() == 1
          && st.stream().map(MemberStatus::applied).distinct().count() == 1
          && st.stream().allMatch(s -> s.voters().size() == n)) {
        return st;
      }
      assertTrue(System.nanoTime() < deadline, "members did not converge: " + st);
      Thread.sleep(100);
    }
  }
}
