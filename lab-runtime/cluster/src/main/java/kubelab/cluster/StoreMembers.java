package kubelab.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import kubelab.store.KvStore;
import kubelab.store.StoreException;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.MemberStatus;
import kubelab.store.server.Peers;
import kubelab.store.server.StoreServer;
import kubelab.store.server.TcpPorts;

/**
 * The control plane's store: N members ({@code s1..sN}), each a {@link StoreServer} with its own
 * WAL directory under {@code STATE/store/sI} and its own loopback TCP port for peers and clients,
 * all in this JVM. The API server reaches them through a failover client over those ports, the
 * way kube-apiserver reaches etcd; {@code lab store get --prefix /registry/...} reaches them too.
 */
public final class StoreMembers implements AutoCloseable {
  private final Map<String, StoreServer> servers = new LinkedHashMap<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private final KvStore client;

  private StoreMembers(Map<String, StoreServer> servers, Peers peers) {
    this.servers.putAll(servers);
    for (var p : peers.byId().values()) endpoints.put(p.name(), p.hostPort());
    List<InetSocketAddress> addrs = new ArrayList<>();
    for (var p : peers.byId().values()) addrs.add(new InetSocketAddress("127.0.0.1", p.address().getPort()));
    this.client = RemoteKvStore.connect(addrs);
  }

  /** Starts the members; fails with one line if a port is taken or a data directory is unusable. */
  public static StoreMembers start(ClusterConfig config, Path dir, Consumer<String> log) throws IOException {
    // A member's data belongs to its peer list (ports included): a store first started on free
    // ports restarts on the same ones, remembered in STATE/store/ports.
    Path remembered = dir.resolve("ports");
    List<Integer> ports = config.storePorts();
    if (ports.isEmpty() && Files.exists(remembered)) {
      ports = new ArrayList<>();
      for (String p : Files.readString(remembered).trim().split(",")) ports.add(Integer.parseInt(p.trim()));
    }
    if (ports.isEmpty()) ports = TcpPorts.free(config.storeMembers());
    if (ports.size() != config.storeMembers()) {
      throw new IOException("need " + config.storeMembers() + " store ports, got " + ports);
    }
    Peers peers = TcpPorts.loopbackPeers(ports);
    Map<String, StoreServer> started = new LinkedHashMap<>();
    try {
      for (var p : peers.byId().values()) {
        Path d = dir.resolve(p.name());
        Files.createDirectories(d);
        try {
          started.put(p.name(), StoreServer.start(p.name(), peers, d,
              new InetSocketAddress("127.0.0.1", p.address().getPort()), log, c -> c));
        } catch (IOException e) {
          throw new IOException("store member " + p.name() + " cannot start on 127.0.0.1:" + p.address().getPort()
              + ": " + e.getMessage() + " (is a cluster or etcd already running? lab cluster status)", e);
        }
      }
    } catch (IOException | RuntimeException e) {
      started.values().forEach(StoreServer::close);
      throw e;
    }
    Files.writeString(remembered, String.join(",", ports.stream().map(String::valueOf).toList()) + "\n");
    return new StoreMembers(started, peers);
  }

  /** The client the API server uses (fails over between members). */
  public KvStore client() {
    return client;
  }

  public List<String> names() {
    return new ArrayList<>(endpoints.keySet());
  }

  public String endpoint(String name) {
    return endpoints.get(name);
  }

  /** {@code 127.0.0.1:2379,127.0.0.1:22379,...}: what {@code lab store --endpoints} takes. */
  public String endpoints() {
    return String.join(",", endpoints.values());
  }

  public List<MemberStatus> status() {
    List<MemberStatus> out = new ArrayList<>();
    for (StoreServer s : servers.values()) out.add(s.member().status());
    return out;
  }

  /** The leader's name, once one is elected. */
  public String awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (StoreServer s : servers.values()) if (s.member().isLeader()) return s.member().status().name();
      Thread.sleep(10);
    }
    throw new StoreException(StoreException.Code.NO_LEADER, "etcdserver: no leader elected within " + timeout.toMillis() + " ms");
  }

  @Override
  public void close() {
    client.close();
    for (StoreServer s : servers.values()) s.close();
  }
}
