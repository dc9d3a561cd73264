package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import kubelab.store.client.ClientProtocol.ClusterInfo;
import kubelab.store.client.ClientProtocol.MemberInfo;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.transport.TcpListener;
import kubelab.store.transport.TcpTransport;

/**
 * A store member as its own process ({@code lab store serve}): one TCP port for peers and
 * clients, the WAL and snapshots in a data directory, a {@link Member} in between.
 *
 * <p>Who the member is comes from the data directory once it has started once ({@link
 * DataDir.Meta}); the first start decides it, as etcd's {@code --initial-cluster-state} does:
 * <ul>
 *   <li>{@code new} (a founder): {@code --peers} lists the founding members, this one included;
 *   <li>{@code existing} (joining, after {@code lab store members add}): {@code --peers} lists
 *       members to ask; the member fetches the cluster's id, founders and members from the first
 *       that answers, finds itself there by name and address, and starts with an empty log that
 *       the leader fills (entries, or a snapshot if the log was compacted).
 * </ul>
 * On a restart, {@code --peers} may be left out; if given it must be the list of the first start
 * (otherwise the directory belongs to another cluster, or the flags are wrong).
 *
 * <p>Start-up checks fail with one line each: a bad peer list or a name not in it ({@link
 * Peers}), a port in use ({@link TcpListener}), a data directory of another member or cluster or
 * in use ({@link DataDir}), a corrupt WAL (naming file and offset), a member to join that was not
 * added.
 */
public final class StoreServer implements AutoCloseable {
  /**
   * The flags of {@code lab store serve}.
   *
   * @param peers    {@code --peers}; null on a restart without it
   * @param existing {@code --initial-cluster-state existing}: join a running cluster
   */
  public record Launch(String name, Path data, InetSocketAddress listen, Peers peers, boolean existing) {}

  private final DataDir data;
  private final TcpListener listener;
  private final Member member;

  private StoreServer(DataDir data, TcpListener listener, Member member) {
    this.data = data;
    this.listener = listener;
    this.member = member;
  }

  /** Starts a member; {@code tune} adjusts its config (timings, for tests and flags). */
  public static StoreServer start(Launch l, Consumer<String> log, UnaryOperator<MemberConfig> tune, Clock clock) throws IOException {
    DataDir data = DataDir.open(l.data());
    TcpListener listener = null;
    try {
      MemberConfig cfg = tune.apply(identify(data, l, log));
      listener = new TcpListener(new InetSocketAddress(l.listen().getHostString(), l.listen().getPort()));
      TcpTransport transport = new TcpTransport(cfg.id(), cfg.identity().clusterId(), Map.of(), listener);
      Member member = new Member(cfg, new WalPersistence(data.memberDir(), cfg.walMetadata(), cfg.walSegmentBytes()), transport, clock);
      TcpListener tl = listener;
      tl.routeClients((socket, in, hello) -> ClientSession.serve(member, socket, in, hello));
      tl.start();
      return new StoreServer(data, tl, member);
    } catch (IOException | RuntimeException e) {
      if (listener != null) listener.close();
      data.close();
      throw e;
    }
  }

  /** A founding member (for tests and the control plane): {@code --peers} = {@code peers}, a tuned config. */
  public static StoreServer start(String name, Peers peers, Path dataDir, InetSocketAddress listen, Consumer<String> log,
                                  UnaryOperator<MemberConfig> tune) throws IOException {
    return start(new Launch(name, dataDir, listen, peers, false), log, tune, Clock.systemUTC());
  }

  /** A member joining a running cluster (after {@code members add}); {@code peers} must include it. */
  public static StoreServer join(String name, Peers peers, Path dataDir, InetSocketAddress listen, Consumer<String> log,
                                 UnaryOperator<MemberConfig> tune) throws IOException {
    return start(new Launch(name, dataDir, listen, peers, true), log, tune, Clock.systemUTC());
  }

  /** Who this member is: from its data directory, or (first start) from the flags and, to join, the cluster. */
  private static MemberConfig identify(DataDir data, Launch l, Consumer<String> log) throws IOException {
    DataDir.Meta m = data.meta();
    if (m != null) {
      if (!m.name().equals(l.name())) {
        throw new IOException("data dir " + data.root() + " belongs to member " + m.name() + ", not " + l.name()
            + ": start " + m.name() + " with it, or use another --data for " + l.name());
      }
      if (l.peers() != null && !l.peers().toString().equals(m.peers().toString())) {
        throw new IOException("data dir " + data.root() + " belongs to another cluster (id " + m.clusterId() + ", first started with --peers "
            + m.peers() + "), not to the cluster of --peers " + l.peers() + ": a restart takes its members from the data dir, so give the same"
            + " --peers as on the first start or leave --peers out, or use an empty --data");
      }
      Peers.Peer self = m.peers().byName(m.name());
      if (self != null && self.address().getPort() != l.listen().getPort()) {
        throw new IOException("--listen port " + l.listen().getPort() + " differs from " + m.name() + "'s port " + self.address().getPort()
            + " recorded in data dir " + data.root() + ": peers would not reach this member");
      }
      MemberConfig.Identity id = new MemberConfig.Identity(m.id(), Long.parseUnsignedLong(m.clusterId(), 16), m.founders(), m.joined(),
          m.peersAtIndexZero(), m.hints());
      return MemberConfig.of(m.name(), id, log);
    }
    if (l.peers() == null) {
      throw new IOException("--peers is needed to start a new member (data dir " + data.root() + " is empty): the founding members"
          + " with --initial-cluster-state new, or members to join through with --initial-cluster-state existing");
    }
    Peers.Peer self = l.peers().byName(l.name());
    if (self == null) {
      throw new IOException("--name " + l.name() + " is not in --peers " + l.peers() + ": every member must be in the peer list");
    }
    if (self.address().getPort() != l.listen().getPort()) {
      throw new IOException("--listen port " + l.listen().getPort() + " differs from " + l.name() + "'s port " + self.address().getPort()
          + " in --peers: peers would not reach this member");
    }
    if (!l.existing()) {
      data.initialize(new DataDir.Meta(l.name(), self.id(), l.peers().clusterIdHex(), l.peers(), l.peers(), false, false, Map.of()));
      return MemberConfig.of(l.name(), l.peers(), log);
    }
    ClusterInfo c = askCluster(l);
    MemberInfo me = null;
    for (MemberInfo i : c.members()) if (i.name().equals(l.name())) me = i;
    if (me == null) {
      throw new IOException("member " + l.name() + " is not a member of the cluster (members: " + names(c.members()) + "): add it first with"
          + " lab store members add " + l.name() + " " + self.hostPort() + " --endpoints ..., then start it");
    }
    InetSocketAddress at = Peers.parseHostPort(me.address(), "member " + me.name());
    if (at.getPort() != l.listen().getPort() || !at.getHostString().equals(self.address().getHostString())) {
      throw new IOException("member " + l.name() + " was added with address " + me.address() + ", but --peers says " + self.hostPort()
          + ": start it where it was added, or remove and add it again");
    }
    Map<String, InetSocketAddress> fs = new LinkedHashMap<>();
    for (MemberInfo f : c.founders()) fs.put(f.name(), Peers.parseHostPort(f.address(), "founding member " + f.name()));
    Peers founders = Peers.of(fs);
    if (!founders.clusterIdHex().equals(c.clusterId())) {
      throw new IOException("the cluster's founders " + founders + " do not hash to its id " + c.clusterId() + ": not a KubeLab store of this version");
    }
    Map<Long, InetSocketAddress> hints = new TreeMap<>();
    for (MemberInfo i : c.members()) hints.put(i.id(), Peers.parseHostPort(i.address(), "member " + i.name()));
    data.initialize(new DataDir.Meta(l.name(), me.id(), c.clusterId(), founders, l.peers(), true, c.peersAtIndexZero(), hints));
    log.accept(l.name() + ": joining cluster " + c.clusterId() + " as member " + me.id() + " (members: " + names(c.members()) + ")");
    return MemberConfig.joining(l.name(), me.id(), Long.parseUnsignedLong(c.clusterId(), 16), founders, c.peersAtIndexZero(), hints, log);
  }

  private static String names(List<MemberInfo> ms) {
    List<String> out = new ArrayList<>();
    for (MemberInfo m : ms) out.add(m.name() + "=" + m.address());
    return String.join(",", out);
  }

  /** etcd's GetClusterFromRemotePeers: the first member of --peers (other than this one) that answers. */
  private static ClusterInfo askCluster(Launch l) throws IOException {
    StringBuilder errors = new StringBuilder();
    for (Peers.Peer p : l.peers().byId().values()) {
      if (p.name().equals(l.name())) continue;
      RemoteKvStore r = new RemoteKvStore(new InetSocketAddress(p.address().getHostString(), p.address().getPort()));
      try {
        return r.cluster().get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        errors.append(errors.length() == 0 ? "" : "; ").append(p.name()).append(": ")
            .append(e.getCause() != null ? e.getCause().getMessage() : "no answer within 3 s");
      } finally {
        r.close();
      }
    }
    throw new IOException("cannot join: no member of --peers answered (" + errors + "): is the cluster running?");
  }

  public Member member() {
    return member;
  }

  public InetSocketAddress address() {
    return listener.address();
  }

  @Override
  public void close() {
    listener.close();
    member.close();
    try {
      data.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }
}
