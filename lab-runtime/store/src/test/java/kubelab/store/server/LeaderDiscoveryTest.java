package kubelab.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client finds the leader by itself and keeps its requests there, also after the leader changes. */
class LeaderDiscoveryTest {
  @TempDir Path tmp;

  @Test
  void theClientMovesToTheLeaderAndFollowsALeadershipChange() throws Exception {
    Peers peers = TcpPorts.loopbackPeers(TcpPorts.free(3));
    List<StoreServer> servers = new ArrayList<>();
    try {
      for (Peers.Peer p : peers.byId().values()) {
        servers.add(StoreServer.start(p.name(), peers, tmp.resolve(p.name()), p.address(), l -> {},
            c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofSeconds(5)).withWalSegmentBytes(1 << 20)));
      }
      List<InetSocketAddress> eps = new ArrayList<>();
      for (Peers.Peer p : peers.byId().values()) eps.add(new InetSocketAddress("127.0.0.1", p.address().getPort()));
      try (FailoverKvStore kv = RemoteKvStore.connect(eps)) {
        int leader = awaitClientOnLeader(kv, servers);
        // Hand leadership to another member: the client follows within a discovery interval or two.
        int next = (leader + 1) % 3;
        servers.get(leader).member().transferLeadership(servers.get(next).member().id());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!servers.get(next).member().isLeader()) {
          assertTrue(System.nanoTime() < deadline, "leadership was not transferred");
          Thread.sleep(10);
        }
        long t0 = System.nanoTime();
        assertEquals(next, awaitClientOnLeader(kv, servers));
        System.out.println("client moved to the new leader after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } finally {
      servers.forEach(StoreServer::close);
    }
  }

  private static int awaitClientOnLeader(FailoverKvStore kv, List<StoreServer> servers) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < servers.size(); i++) {
        if (servers.get(i).member().isLeader() && kv.currentEndpoint() == i) return i;
      }
      Thread.sleep(20);
    }
    assertTrue(false, "the client never settled on the leader");
    return -1;
  }
}
