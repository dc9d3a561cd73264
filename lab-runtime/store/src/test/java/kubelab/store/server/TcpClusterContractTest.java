package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.store.KvStore;
import kubelab.store.KvStoreContract;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members with WALs on disk, talking TCP on loopback, reached by the remote client with
 * failover, pass the contract (members run in this JVM here; the multi-process test runs them as
 * processes).
 */
class TcpClusterContractTest extends KvStoreContract {
  @TempDir Path tmp;
  private final List<StoreServer> servers = new ArrayList<>();

  /** Free loopback ports (bound then released; a test that races another for one will say so). */
  static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> ss = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ss.add(s);
        out.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : ss) s.close();
    }
    return out;
  }

  static Peers loopbackPeers(List<Integer> ports) {
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) m.put("s" + (i + 1), InetSocketAddress.createUnresolved("127.0.0.1", ports.get(i)));
    return Peers.of(m);
  }

  @Override
  protected KvStore newStore() throws Exception {
    Peers peers = loopbackPeers(freePorts(3));
    Path dir = Files.createTempDirectory(tmp, "cluster");
    List<StoreServer> mine = new ArrayList<>();
    for (Peers.Peer p : peers.byId().values()) {
      mine.add(StoreServer.start(p.name(), peers, dir.resolve(p.name()), p.address(), line -> {},
          c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofSeconds(5)).withWalSegmentBytes(1 << 20)));
    }
    servers.addAll(mine);
    List<InetSocketAddress> eps = new ArrayList<>();
    for (Peers.Peer p : peers.byId().values()) eps.add(p.address());
    FailoverKvStore client = RemoteKvStore.connect(eps);
    return new FailoverKvStore(client.endpoints(), 15_000, () -> mine.forEach(StoreServer::close));
  }
}
