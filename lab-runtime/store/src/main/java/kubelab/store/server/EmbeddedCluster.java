package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import kubelab.store.KvStore;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.transport.InProcessNetwork;

/**
 * N members in one JVM over an {@link InProcessNetwork}: the store of {@code ./lab}'s embedded
 * cluster, and the cluster the REPL bends ({@code raft partition}, {@code fault kill store-2}).
 *
 * <p>Members are named s1..sN (ids 1..N). Each keeps its {@link Persistence} across {@link
 * #kill}/{@link #restart}: with a state directory, the WAL and snapshots under
 * {@code <dir>/<name>}; without one, in memory (then it survives restarts but not the JVM).
 * {@link #client()} is a {@link FailoverKvStore} over all members, so the API server keeps
 * working while any minority is down.
 *
 * <p>Members come and go one at a time ({@link #addMember}, {@link #removeMember}: Raft's
 * single-server changes, through the log). An added member starts with empty storage and is caught
 * up by the leader; a removed one is stopped and cannot be restarted.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private final InProcessNetwork network;
  private final Peers peers;
  private final Path dir;
  private final Clock clock;
  private final Consumer<String> log;
  private final UnaryOperator<MemberConfig> tune;
  private final Map<String, Persistence> disks = new LinkedHashMap<>();
  private final Map<String, Member> members = new LinkedHashMap<>();
  /** Every member ever added (founders and joiners), untuned; removed ones stay, marked in {@link #removed}. */
  private final Map<String, MemberConfig> configs = new LinkedHashMap<>();
  private final java.util.Set<String> removed = new java.util.HashSet<>();
  private final FailoverKvStore client;

  private EmbeddedCluster(int n, Path dir, Clock clock, Consumer<String> log, UnaryOperator<MemberConfig> tune, long seed)
      throws IOException {
    this.network = new InProcessNetwork(seed);
    this.dir = dir;
    this.clock = clock;
    this.log = log;
    this.tune = tune;
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    for (int i = 1; i <= n; i++) m.put("s" + i, InetSocketAddress.createUnresolved("in-process", i));
    this.peers = Peers.of(m);
    for (String name : m.keySet()) configs.put(name, MemberConfig.of(name, peers, log));
    List<KvStore> views = new ArrayList<>();
    for (String name : m.keySet()) views.add(new MemberView(name));
    client = new FailoverKvStore(views, 30_000, this::close);
    for (String name : m.keySet()) restart(name);
  }

  /**
   * Starts {@code n} members. {@code dir} null keeps their state in memory. {@code tune} may
   * shorten timings for tests (identity for the defaults).
   */
  public static EmbeddedCluster start(int n, Path dir, Consumer<String> log, UnaryOperator<MemberConfig> tune) throws IOException {
    return new EmbeddedCluster(n, dir, Clock.systemUTC(), log, tune, 1);
  }

  public static EmbeddedCluster start(int n, Path dir, Consumer<String> log) throws IOException {
    return start(n, dir, log, c -> c);
  }

  public InProcessNetwork network() {
    return network;
  }

  public Peers peers() {
    return peers;
  }

  /** The store clients use: fails over between members. Closing it stops the cluster (and vice versa). */
  public KvStore client() {
    return client;
  }

  public synchronized Member member(String name) {
    return members.get(name);
  }

  public synchronized List<Member> running() {
    return new ArrayList<>(members.values());
  }

  /** Stops member {@code name} as a crash would (its persisted state stays). */
  public synchronized void kill(String name) {
    Member m = members.remove(name);
    if (m == null) throw new IllegalArgumentException("store member " + name + " is not running");
    m.close();
  }

  /** Starts member {@code name} again from its persisted state. */
  public synchronized Member restart(String name) throws IOException {
    MemberConfig base = configs.get(name);
    if (base == null) throw new IllegalArgumentException("no store member " + name + " (members: " + String.join(", ", configs.keySet()) + ")");
    if (removed.contains(name)) throw new IllegalArgumentException("store member " + name + " was removed from the cluster: add a new member instead");
    if (members.containsKey(name)) throw new IllegalArgumentException("store member " + name + " is already running");
    MemberConfig cfg = tune.apply(base);
    Persistence p = disks.get(name);
    if (p == null || dir != null) {
      p = dir == null ? new MemoryPersistence() : new WalPersistence(dir.resolve(name), cfg.walMetadata(), cfg.walSegmentBytes());
      disks.put(name, p);
    }
    Member m = new Member(cfg, p, network.endpoint(cfg.id()), clock);
    m.onRemoved(() -> dropRemoved(name, m));
    members.put(name, m);
    return m;
  }

  private synchronized void dropRemoved(String name, Member m) {
    removed.add(name);
    members.remove(name, m);
  }

  /** A running member to send a membership change to: the leader if there is one. */
  private Member coordinator() throws InterruptedException {
    try {
      return awaitLeader(Duration.ofSeconds(10));
    } catch (StoreException e) {
      throw new StoreException(Code.NO_LEADER, "etcdserver: no leader: cannot change the membership without a quorum");
    }
  }

  /**
   * Adds member {@code name} (etcdctl member add, then starting it): the change is proposed to the
   * leader and applied; then the new member starts with empty storage, learns the membership from
   * the leader's log (or a snapshot) and catches up. Returns the running member.
   *
   * @throws StoreException FAILED_PRECONDITION if the change is refused (a name in use, another
   *                        change pending, too few started members), or TIMEOUT
   */
  public Member addMember(String name) throws IOException, InterruptedException {
    synchronized (this) {
      if (configs.containsKey(name)) throw new IllegalArgumentException("store member name " + name + " is taken");
    }
    long port = 1; // in-process "addresses" only need to differ
    synchronized (this) {
      for (MemberConfig c : configs.values()) port = Math.max(port, c.id() + 1);
    }
    MembershipChange c = await(coordinator().memberAdd(name, "in-process:" + port));
    Map<Long, InetSocketAddress> hints = new LinkedHashMap<>();
    for (Peers.Peer p : c.members()) hints.put(p.id(), p.address());
    MemberConfig cfg = MemberConfig.joining(name, c.member().id(), peers.clusterId(), peers, false, hints, log);
    synchronized (this) {
      configs.put(name, cfg);
      client.addEndpoint(new MemberView(name));
      return restart(name);
    }
  }

  /**
   * Removes member {@code name} (etcdctl member remove): proposed to the leader (which may be the
   * member itself: it steps down once the change commits) and applied; then the member is stopped.
   */
  public MembershipChange removeMember(String name) throws InterruptedException {
    synchronized (this) {
      if (!configs.containsKey(name) || removed.contains(name)) throw new IllegalArgumentException("no store member " + name);
    }
    MembershipChange c = await(coordinator().memberRemove(name));
    Member m;
    synchronized (this) {
      removed.add(name);
      m = members.remove(name);
    }
    if (m != null) m.close();
    return c;
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException {
    try {
      return f.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof StoreException se) throw se;
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new StoreException(Code.TIMEOUT, "etcdserver: request timed out");
    }
  }

  /** The membership as a running member (the leader, if known) has applied it. */
  public Membership membership() {
    List<Member> ms = running();
    for (Member m : ms) if (m.isLeader()) return m.membership();
    if (ms.isEmpty()) throw new StoreException(Code.UNAVAILABLE, "no store member is running");
    return ms.get(0).membership();
  }

  /** The current leader, waiting up to {@code timeout} for one to be elected. */
  public Member awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Member m : running()) if (m.isLeader()) return m;
      Thread.sleep(10);
    }
    throw new StoreException(Code.NO_LEADER, "etcdserver: no leader elected within " + timeout.toMillis() + " ms");
  }

  private final List<kubelab.store.transport.TcpListener> clientListeners = new ArrayList<>();

  /**
   * Serves the client protocol of member i on {@code addresses.get(i)} (port 0: any free port), so
   * {@code lab store ... --endpoints} and other processes reach the embedded store over TCP. A
   * member that is down refuses connections (clients fail over). Returns the bound addresses.
   */
  public synchronized List<InetSocketAddress> listenForClients(List<InetSocketAddress> addresses) throws IOException {
    List<String> names = new ArrayList<>();
    peers.byId().values().forEach(p -> names.add(p.name()));
    if (addresses.size() != names.size()) throw new IllegalArgumentException("need " + names.size() + " client addresses");
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      kubelab.store.transport.TcpListener l = new kubelab.store.transport.TcpListener(addresses.get(i));
      l.routeClients((socket, in, hello) -> {
        Member m = member(name);
        if (m == null) throw new java.net.SocketException("store member " + name + " is down");
        ClientSession.serve(m, socket, in, hello);
      });
      l.start();
      clientListeners.add(l);
      out.add(l.address());
    }
    return out;
  }

  public List<MemberStatus> status() {
    List<MemberStatus> out = new ArrayList<>();
    for (Member m : running()) out.add(m.status());
    return out;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
      clientListeners.forEach(kubelab.store.transport.TcpListener::close);
      for (Member m : members.values()) m.close();
      members.clear();
      network.close();
    }
    client.close();
  }

  private boolean closed;

  /** The client's view of one member: requests go to whichever instance of it runs now. */
  private final class MemberView implements KvStore {
    final String name;

    MemberView(String name) {
      this.name = name;
    }

    private Member m() {
      Member m = member(name);
      if (m == null) throw Member.stoppedError(name);
      return m;
    }

    private <T> CompletableFuture<T> call(java.util.function.Function<Member, CompletableFuture<T>> f) {
      try {
        return f.apply(m());
      } catch (StoreException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override public CompletableFuture<RangeResponse> range(RangeRequest r) { return call(m -> m.range(r)); }
    @Override public CompletableFuture<PutResponse> put(PutRequest r) { return call(m -> m.put(r)); }
    @Override public CompletableFuture<DeleteResponse> delete(DeleteRequest r) { return call(m -> m.delete(r)); }
    @Override public CompletableFuture<TxnResponse> txn(TxnRequest t) { return call(m -> m.txn(t)); }
    @Override public CompletableFuture<Long> compact(long rev) { return call(m -> m.compact(rev)); }
    @Override public WatchHandle watch(WatchRequest r, WatchListener l) { return m().watch(r, l); }
    @Override public CompletableFuture<Lease> leaseGrant(long ttl) { return call(m -> m.leaseGrant(ttl)); }
    @Override public CompletableFuture<Void> leaseRevoke(long id) { return call(m -> m.leaseRevoke(id)); }
    @Override public CompletableFuture<Lease> leaseKeepAlive(long id) { return call(m -> m.leaseKeepAlive(id)); }
    @Override public CompletableFuture<LeaseStatus> leaseTimeToLive(long id, boolean keys) { return call(m -> m.leaseTimeToLive(id, keys)); }
    @Override public CompletableFuture<List<Long>> leases() { return call(Member::leases); }
    @Override public void close() {}
  }
}
