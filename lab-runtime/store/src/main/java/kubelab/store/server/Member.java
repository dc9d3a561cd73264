package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kubelab.raft.Config;
import kubelab.raft.MemoryStorage;
import kubelab.raft.RawNode;
import kubelab.raft.Status;
import kubelab.store.KvStore;
import kubelab.store.Params;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;
import kubelab.store.codec.CommandCodec;
import kubelab.store.mvcc.Command;
import kubelab.store.mvcc.LeaseTimers;
import kubelab.store.mvcc.MvccStore;
import kubelab.store.transport.Transport;

/**
 * One member of a replicated store: a Raft node, its persistence, its keyspace, and the
 * bookkeeping between client requests and the log. Three threads do the work:
 * <ol>
 *   <li>the <b>Raft thread</b> ({@link RaftDriver}) owns the {@link RawNode} and runs the loop in
 *       the documented order: persist, then send, then hand the committed entries to the applier,
 *       then advance;
 *   <li>the <b>apply thread</b> ({@link Applier}) applies committed entries to the {@link
 *       MvccStore} in log order, completes the futures of the requests that proposed them, serves
 *       linearizable reads once their ReadIndex is applied, and makes snapshots;
 *   <li>a <b>ticker</b> feeds Raft its ticks, lets the leader revoke expired leases, and times
 *       out requests that waited too long.
 * </ol>
 *
 * <p>Writes become commands proposed to the log (a follower's proposal is forwarded to the leader
 * by Raft); linearizable reads go through ReadIndex, batched (one Raft round serves every read
 * that arrived meanwhile); serializable reads are served at once from the local keyspace.
 *
 * <p>As a {@link KvStore} (the embedded mode), futures complete on a shared callback pool, never
 * on the apply thread. Thread-safe.
 */
public final class Member implements KvStore {
  final MemberConfig cfg;
  final MvccStore mvcc = new MvccStore();
  final LeaseTimers leases;
  final MemoryStorage storage = new MemoryStorage();
  final Persistence persistence;
  final Transport transport;
  final Consumer<String> log;
  final RaftDriver driver;
  final Applier applier;
  private final ScheduledExecutorService ticker;

  /** Requests waiting for their entry to be applied or their read to be served, by request id. */
  final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
  /** Linearizable reads not yet given to a ReadIndex round. */
  final ConcurrentLinkedQueue<ReadWaiter> reads = new ConcurrentLinkedQueue<>();
  /**
   * Request ids ride in log entries, and every member applies every entry: an id must never be
   * one another member (or this member before a restart) is waiting for. So the top 8 bits are
   * this member's id and the rest starts at a random point (an earlier incarnation's ids are
   * 2^55 wide apart on average).
   */
  private final AtomicLong requestIds;
  volatile boolean stopped;

  static final class Waiter {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    final long deadline;

    Waiter(long deadline) {
      this.deadline = deadline;
    }
  }

  /** A linearizable read: a range, or a transaction without writes. */
  record ReadWaiter(long id, KvStore.RangeRequest range, KvStore.TxnRequest txn) {}

  /**
   * Starts a member: recovers from {@code persistence}, then begins ticking, talking and applying.
   *
   * @throws IOException if the persisted state cannot be read (a corrupt WAL: see WalReader)
   */
  public Member(MemberConfig cfg, Persistence persistence, Transport transport, Clock clock) throws IOException {
    this.cfg = cfg;
    this.persistence = persistence;
    this.transport = transport;
    this.log = cfg.log();
    this.leases = new LeaseTimers(clock);
    this.requestIds = new AtomicLong(((cfg.id() & 0xFF) << 55) | (ThreadLocalRandom.current().nextLong() & ((1L << 54) - 1)));
    mvcc.setLeaseObserver(leases);
    MemberConfig.Identity who = cfg.identity();
    Persistence.Recovered r = persistence.recover();
    r.warnings().forEach(w -> log.accept(cfg.name() + ": warning: " + w));
    Membership members = initialMembership();
    if (!r.snapshot().isEmpty()) {
      StoreSnapshot ss = StoreSnapshot.decode(r.snapshot().data());
      mvcc.restore(ss.keyspace());
      if (ss.membership() != null) members = ss.membership();
      storage.applySnapshot(r.snapshot());
    }
    storage.setHardState(r.hardState());
    storage.append(r.entries());
    boolean fresh = r.snapshot().isEmpty() && r.hardState().isEmpty() && r.entries().isEmpty();
    if (fresh) {
      log.accept(cfg.name() + ": starting a new member " + cfg.id() + " of cluster " + cfg.clusterIdHex()
          + (who.joined() ? " (joining a running cluster: it learns the members from the leader)" : ""));
    } else {
      log.accept(cfg.name() + ": restarting from snapshot " + r.snapshot().index() + " with " + r.entries().size()
          + " log entries, term " + r.hardState().term() + ", commit " + r.hardState().commit());
    }
    Config rc = Config.builder(cfg.id())
        .electionTick(cfg.electionTicks())
        .heartbeatTick(cfg.heartbeatTicks())
        .preVote(true)
        .checkQuorum(true)
        .maxSizePerMsg(Params.MAX_MSG_BYTES)
        .maxInflightMsgs(Params.MAX_INFLIGHT_MSGS)
        .applied(r.snapshot().index())
        // The membership at index 0: the founders for a log without bootstrap entries (a data
        // directory from before them, or a member that joins such a cluster); otherwise nobody,
        // and the log (bootstrap entries, conf changes) or the snapshot says who is a member.
        .peers(who.peersAtIndexZero() ? cfg.peers().ids() : List.of())
        .random(new java.util.SplittableRandom(cfg.seed() != 0 ? cfg.seed() : System.nanoTime() ^ cfg.id()))
        .logger(line -> log.accept(cfg.name() + ": raft: " + line))
        .build();
    SnapshotGate gate = new SnapshotGate(storage);
    RawNode node = RawNode.create(rc, gate);
    if (fresh && !who.joined() && !who.peersAtIndexZero()) node.bootstrap(cfg.peers().ids());
    applier = new Applier(this, r.snapshot(), node.status().confState(), members);
    driver = new RaftDriver(this, node, members);
    gate.bind(driver, applier);
    ticker = Executors.newSingleThreadScheduledExecutor(t -> {
      Thread th = new Thread(t, "kubelab-store-ticker-" + cfg.name());
      th.setDaemon(true);
      return th;
    });
    transport.updatePeers(peerAddresses(members), members.removed());
    transport.start(driver);
    applier.start();
    driver.start();
    long tick = cfg.tick().toMillis();
    ticker.scheduleAtFixedRate(driver::tick, tick, tick, TimeUnit.MILLISECONDS);
    ticker.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
    long lc = Params.LEASE_CHECK_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(this::revokeExpiredLeases, lc, lc, TimeUnit.MILLISECONDS);
    if (cfg.autoCompactionRetention() > 0) {
      long ac = Params.AUTO_COMPACTION_INTERVAL.toMillis();
      ticker.scheduleWithFixedDelay(this::autoCompact, ac, ac, TimeUnit.MILLISECONDS);
    }
    long pn = Params.WATCH_PROGRESS_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(mvcc::progressNotify, pn, pn, TimeUnit.MILLISECONDS);
  }

  public String name() {
    return cfg.name();
  }

  /** The membership at index 0 of this member's log (see {@link MemberConfig.Identity}). */
  Membership initialMembership() {
    return cfg.identity().peersAtIndexZero() ? Membership.legacy(cfg.peers()) : Membership.founding(cfg.peers());
  }

  /** Where the transport finds each peer: the membership's addresses, and what this member was told when it joined. */
  Map<Long, InetSocketAddress> peerAddresses(Membership ms) {
    Map<Long, InetSocketAddress> out = new TreeMap<>(cfg.identity().hints());
    out.putAll(ms.addresses());
    ms.removed().forEach(out::remove);
    out.remove(cfg.id());
    return out;
  }

  /** The membership as this member has applied it (etcdctl member list answers from the local member, too). */
  public Membership membership() {
    return driver.membership;
  }

  /** Runs once this member has been removed from the cluster (it then stops itself). */
  public void onRemoved(Runnable r) {
    onRemoved = r;
  }

  private volatile Runnable onRemoved = () -> {};
  private final java.util.concurrent.atomic.AtomicBoolean removed = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * This member is no longer in the cluster: it applied its own removal, or a peer refused it as a
   * removed member. As etcd does, it stops a little later (ten ticks: a removed leader's last
   * messages still leave), and never serves again.
   */
  void removedFromCluster(String how) {
    if (!removed.compareAndSet(false, true)) return;
    log.accept(cfg.name() + ": etcdserver: the member has been permanently removed from the cluster (" + how + "): stopping");
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(10 * cfg.tick().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      close();
      onRemoved.run();
    }, "kubelab-store-removed-" + cfg.name());
    t.setDaemon(true);
    t.start();
  }

  /** Whether this member learned that it was removed from the cluster. */
  public boolean wasRemoved() {
    return removed.get();
  }

  public long id() {
    return cfg.id();
  }

  public MvccStore keyspace() {
    return mvcc;
  }

  public boolean isLeader() {
    return driver.leader == cfg.id();
  }

  /** The leader as this member knows it, 0 if none. */
  public long leader() {
    return driver.leader;
  }

  // ---------------------------------------------------------------------------------------------
  // Requests (the raw paths, used by the TCP server; futures complete on the apply thread)

  private long nextId() {
    return requestIds.incrementAndGet();
  }

  private Waiter register(long id) {
    Waiter w = new Waiter(System.nanoTime() + cfg.requestTimeout().toNanos());
    waiting.put(id, w);
    return w;
  }

  static StoreException stoppedError(String name) {
    return new StoreException(Code.UNAVAILABLE, "etcdserver: server stopped (member " + name + ")");
  }

  /** Proposes a command; completes with its result once this member applied it. */
  CompletableFuture<Object> propose(Command c) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    long id = nextId();
    byte[] data = CommandCodec.encodeEntry(id, c);
    if (data.length > Params.MAX_REQUEST_BYTES) {
      return CompletableFuture.failedFuture(new StoreException(Code.TOO_LARGE, "etcdserver: request is too large"));
    }
    Waiter w = register(id);
    driver.propose(id, data);
    return w.future;
  }

  /**
   * Proposes a command whose body arrived encoded (bytes {@code [off, off+len)} of a client's
   * frame): it goes into the log as sent, without a decode and re-encode. A body that does not
   * decode is refused when applied, on every member alike.
   */
  CompletableFuture<Object> proposeEncoded(int tag, byte[] src, int off, int len) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    if (len + 12 > Params.MAX_REQUEST_BYTES) {
      return CompletableFuture.failedFuture(new StoreException(Code.TOO_LARGE, "etcdserver: request is too large"));
    }
    long id = nextId();
    Waiter w = register(id);
    driver.propose(id, CommandCodec.encodeEntry(id, tag, src, off, len));
    return w.future;
  }

  /**
   * Proposes adding member {@code name} at {@code hostPort} (a new id is chosen on the Raft thread);
   * completes with a {@link MembershipChange} once this member applied it, or fails
   * FAILED_PRECONDITION if the change is refused.
   */
  CompletableFuture<Object> addMember(String name, String hostPort) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    long id = nextId();
    Waiter w = register(id);
    driver.proposeMemberChange(id, true, name, hostPort);
    return w.future;
  }

  /** Proposes removing member {@code name}; as {@link #addMember}. */
  CompletableFuture<Object> removeMember(String name) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    long id = nextId();
    Waiter w = register(id);
    driver.proposeMemberChange(id, false, name, null);
    return w.future;
  }

  /** Adds member {@code name} (the embedded mode); see {@link #addMember(String, String)}. */
  public CompletableFuture<MembershipChange> memberAdd(String name, String hostPort) {
    return hop(addMember(name, hostPort));
  }

  /** Removes member {@code name} (the embedded mode). */
  public CompletableFuture<MembershipChange> memberRemove(String name) {
    return hop(removeMember(name));
  }

  /** A linearizable read: served after a ReadIndex round, once applied reaches the read index. */
  CompletableFuture<Object> read(RangeRequest range, TxnRequest txn) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    long id = nextId();
    Waiter w = register(id);
    reads.add(new ReadWaiter(id, range, txn));
    driver.wake();
    return w.future;
  }

  /** Completes request {@code id} (if this member is waiting for it) with a result or a StoreException. */
  void complete(long id, Object result) {
    Waiter w = waiting.remove(id);
    if (w == null) return;
    if (result instanceof StoreException e) w.future.completeExceptionally(e);
    else w.future.complete(result);
  }

  /** Fails requests past their deadline, as etcd's "request timed out". */
  private void sweep() {
    long now = System.nanoTime();
    waiting.forEach((id, w) -> {
      if (now - w.deadline > 0 && waiting.remove(id, w)) {
        w.future.completeExceptionally(new StoreException(Code.TIMEOUT,
            driver.leader == 0 ? "etcdserver: request timed out, possibly due to no leader" : "etcdserver: request timed out"));
      }
    });
  }

  /** On the leader: proposes the revocation of every lease whose TTL ran out. */
  private void revokeExpiredLeases() {
    if (!isLeader() || stopped) return;
    for (long id : leases.expired()) {
      log.accept(cfg.name() + ": lease " + Long.toHexString(id) + " expired: revoking it");
      driver.propose(0, CommandCodec.encodeEntry(0, new Command.LeaseRevoke(id)));
    }
  }

  /** On the leader: compacts history to (revision − retention), through the log. */
  void autoCompact() {
    if (!isLeader() || stopped) return;
    long target = mvcc.revision() - cfg.autoCompactionRetention();
    if (target <= mvcc.compactRevision()) return;
    log.accept(cfg.name() + ": auto-compacting history to revision " + target);
    driver.propose(0, CommandCodec.encodeEntry(0, new Command.Compact(target)));
  }

  public MemberStatus status() {
    Status s = driver.status;
    Map<Long, Long> progress = new java.util.TreeMap<>();
    if (s != null) s.progress().forEach((id, p) -> progress.put(id, p.match()));
    long syncs = persistence.syncs();
    return new MemberStatus(cfg.name(), cfg.id(), cfg.clusterIdHex(), s == null ? "FOLLOWER" : s.role().name(),
        s == null ? 0 : s.term(), s == null ? 0 : s.leader(), s == null ? 0 : s.commit(), applier.applied(),
        s == null ? 0 : s.lastIndex(), mvcc.revision(), mvcc.compactRevision(), mvcc.keyCount(), progress, syncs,
        syncs == 0 ? 0 : persistence.syncNanos() / 1e6 / syncs, s == null ? List.of() : s.confState().voters());
  }

  // ---------------------------------------------------------------------------------------------
  // KvStore (the embedded mode): the raw paths, completed on the callback pool

  /** Completes the caller's future on the callback pool, with the store's own exception (not wrapped). */
  @SuppressWarnings("unchecked")
  private static <T> CompletableFuture<T> hop(CompletableFuture<Object> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenCompleteAsync((v, t) -> {
      if (t == null) {
        out.complete((T) v);
        return;
      }
      while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
      out.completeExceptionally(t);
    }, kubelab.store.mvcc.SerialExecutor.SHARED);
    return out;
  }

  private <T> CompletableFuture<T> local(java.util.function.Supplier<T> s) {
    if (stopped) return CompletableFuture.failedFuture(stoppedError(cfg.name()));
    try {
      return CompletableFuture.completedFuture(s.get());
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The raw range path (no hop). */
  CompletableFuture<Object> rangeRaw(RangeRequest r) {
    if (r.serializable()) return local(() -> (Object) mvcc.range(r));
    return read(r, null);
  }

  /** The raw txn path: a transaction without writes is a linearizable read, not a log entry. */
  CompletableFuture<Object> txnRaw(TxnRequest t) {
    boolean writes = false;
    for (Op op : t.success()) writes |= !(op instanceof RangeRequest);
    for (Op op : t.failure()) writes |= !(op instanceof RangeRequest);
    return writes ? propose(new Command.Txn(t)) : read(null, t);
  }

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    return hop(rangeRaw(r));
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest r) {
    return hop(propose(new Command.Put(r)));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest r) {
    return hop(propose(new Command.Delete(r)));
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest t) {
    return hop(txnRaw(t));
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return hop(propose(new Command.Compact(revision)));
  }

  @Override
  public WatchHandle watch(WatchRequest r, WatchListener l) {
    return watch(r, l, false);
  }

  /** {@code inline}: see {@link MvccStore#watch(WatchRequest, WatchListener, boolean)} (client sessions). */
  WatchHandle watch(WatchRequest r, WatchListener l, boolean inline) {
    if (stopped) throw stoppedError(cfg.name());
    long id = mvcc.watch(r, l, inline);
    return new WatchHandle() {
      @Override public void requestProgress() { mvcc.requestProgress(id); }
      @Override public void close() { mvcc.cancelWatch(id); }
    };
  }

  /** A new lease id: random, positive, with this member's id in the top bits (unique across members). */
  long newLeaseId() {
    return ((cfg.id() & 0x7FFF) << 48) | (ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL) | 1;
  }

  CompletableFuture<Object> leaseGrantRaw(long ttl) {
    return propose(new Command.LeaseGrant(newLeaseId(), ttl));
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    return hop(leaseGrantRaw(ttlSeconds));
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    return hop(propose(new Command.LeaseRevoke(leaseId)));
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    return hop(propose(new Command.LeaseRenew(leaseId)));
  }

  LeaseStatus leaseStatus(long id, boolean keys) {
    long ttl = mvcc.leaseTtl(id);
    if (ttl < 0) return new LeaseStatus(id, -1, 0, List.of());
    return new LeaseStatus(id, leases.remainingSeconds(id), ttl, keys ? mvcc.leaseKeys(id) : List.of());
  }

  @Override
  public CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys) {
    return local(() -> leaseStatus(leaseId, keys));
  }

  @Override
  public CompletableFuture<List<Long>> leases() {
    return local(() -> new ArrayList<>(mvcc.leases().keySet()));
  }

  /** Asks the core to hand leadership to {@code to} (the REPL's "raft transfer"). */
  public void transferLeadership(long to) {
    driver.transferLeader(to);
  }

  /** Stops the member: threads, transport and files; pending requests fail as unavailable. */
  @Override
  public void close() {
    if (stopped) return;
    stopped = true;
    ticker.shutdownNow();
    driver.stop();
    applier.stop();
    transport.close();
    try {
      persistence.close();
    } catch (IOException e) {
      log.accept(cfg.name() + ": closing the WAL failed: " + e.getMessage());
    }
    StoreException lost = new StoreException(Code.TIMEOUT,
        "etcdserver: server stopped while the request was in flight (member " + cfg.name() + "); its outcome is unknown");
    waiting.forEach((id, w) -> w.future.completeExceptionally(lost));
    waiting.clear();
    mvcc.closeWatches(stoppedError(cfg.name()));
    log.accept(cfg.name() + ": stopped");
  }
}
