package kubelab.store.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member's identity comes from its data directory once it has started: a restart needs no
 * --peers, refuses a different one, and a data directory written before logs began with bootstrap
 * entries (meta format 1) still starts, with Raft's membership at index 0 from its peer list.
 */
class StoreServerIdentityTest {
  @TempDir Path tmp;
  private final List<StoreServer> servers = new ArrayList<>();
  private static final UnaryOperator<MemberConfig> FAST = c -> c.withTiming(Duration.ofMillis(20), 10, Duration.ofSeconds(5))
      .withWalSegmentBytes(1 << 20);

  @AfterEach
  void stop() {
    servers.forEach(StoreServer::close);
  }

  private StoreServer start(String name, Peers peers, UnaryOperator<MemberConfig> tune) throws IOException {
    Peers.Peer p = (peers != null ? peers : founders).byName(name);
    StoreServer s = StoreServer.start(new StoreServer.Launch(name, tmp.resolve(name), p.address(), peers, false), l -> {}, tune,
        Clock.systemUTC());
    servers.add(s);
    return s;
  }

  private Peers founders;

  private FailoverKvStore client() {
    return RemoteKvStore.connect(new ArrayList<>(founders.addresses().values()));
  }

  @Test
  void aRestartTakesItsIdentityFromTheDataDirAndRefusesAnotherPeerList() throws Exception {
    founders = TcpPorts.loopbackPeers(TcpPorts.free(3));
    for (String n : List.of("s1", "s2", "s3")) start(n, founders, FAST);
    try (FailoverKvStore kv = client()) {
      kv.put(PutRequest.of("/a", "1".getBytes(UTF_8))).get(20, TimeUnit.SECONDS);
    }
    servers.remove(0).close();
    StoreServer again = start("s1", null, FAST); // no --peers
    assertEquals(1, again.member().id());
    servers.remove(servers.size() - 1).close();
    Peers other = TcpPorts.loopbackPeers(List.of(founders.byName("s1").address().getPort(), 1, 2, 3));
    IOException e = assertThrows(IOException.class, () -> start("s1", other, FAST));
    assertTrue(e.getMessage().contains("belongs to another cluster") && e.getMessage().contains("leave --peers out"), e.getMessage());
    IOException wrong = assertThrows(IOException.class, () -> StoreServer.start(new StoreServer.Launch("s2", tmp.resolve("s1"),
        founders.byName("s1").address(), null, false), l -> {}, FAST, Clock.systemUTC()));
    assertTrue(wrong.getMessage().contains("belongs to member s1, not s2"), wrong.getMessage());
  }

  @Test
  void aDataDirFromBeforeBootstrapEntriesStillStarts() throws Exception {
    founders = TcpPorts.loopbackPeers(TcpPorts.free(3));
    // Write the data dirs as the store did before: Raft's membership from the peer list (no
    // bootstrap entries) and a format-1 meta file.
    UnaryOperator<MemberConfig> legacy = c -> FAST.apply(c.withIdentity(new MemberConfig.Identity(c.id(), c.identity().clusterId(),
        c.peers(), false, true, java.util.Map.of())));
    for (String n : List.of("s1", "s2", "s3")) start(n, founders, legacy);
    try (FailoverKvStore kv = client()) {
      kv.put(PutRequest.of("/old", "1".getBytes(UTF_8))).get(20, TimeUnit.SECONDS);
    }
    for (StoreServer s : servers) s.close();
    servers.clear();
    for (String n : List.of("s1", "s2", "s3")) {
      Path meta = tmp.resolve(n).resolve("member").resolve("meta");
      Files.writeString(meta, "kubelab-store-data v1\ncluster-id=" + founders.clusterIdHex() + "\nname=" + n + "\npeers=" + founders + "\n");
    }
    for (String n : List.of("s1", "s2", "s3")) start(n, founders, FAST);
    try (FailoverKvStore kv = client()) {
      assertEquals(1, kv.range(RangeRequest.key("/old")).get(20, TimeUnit.SECONDS).count());
      kv.put(PutRequest.of("/new", "1".getBytes(UTF_8))).get(20, TimeUnit.SECONDS);
    }
    assertEquals(List.of(1L, 2L, 3L), servers.get(0).member().status().voters());
  }
}
