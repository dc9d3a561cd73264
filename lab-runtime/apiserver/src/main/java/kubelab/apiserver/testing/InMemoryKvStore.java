package kubelab.apiserver.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.store.KvStore;
import kubelab.store.StoreException;

/**
 * A single-process, unreplicated {@link KvStore} kept in memory: etcd v3's MVCC semantics
 * (revisions, ranges at a past revision, txn with compares, watch from a revision, compaction,
 * leases) without Raft, WAL or fsync.
 *
 * <p>It exists so the API server can be built and tested before the Raft store's single-member
 * implementation lands on main; {@link TestApiServer} and the API server's tests switch to the
 * store module's implementation then, and this class goes away. Nothing else should use it.
 *
 * <p>Threading: every operation runs under one lock and completes its future before returning.
 * Watch listeners run on a per-watch serial executor, in revision order, never under the lock.
 */
public final class InMemoryKvStore implements KvStore {
  /** One version of a key; {@code kv == null} is a deletion (tombstone). */
  private record Version(long revision, KeyValue kv) {}

  private final Object lock = new Object();
  private final TreeMap<String, List<Version>> keys = new TreeMap<>();
  /** Every event after the compact revision, in order (for watches that start in the past). */
  private final TreeMap<Long, List<WatchEvent>> history = new TreeMap<>();
  private final Map<Long, Set<String>> leaseKeys = new HashMap<>();
  private final Map<Long, Long> leaseExpiry = new HashMap<>();
  private final List<Watcher> watchers = new ArrayList<>();
  private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "inmem-kv-watch");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "inmem-kv-lease");
    t.setDaemon(true);
    return t;
  });
  private long revision = 1; // etcd starts at revision 1 (an empty store)
  private long compacted = 0;
  private long nextLease = 1;
  private boolean closed;

  public InMemoryKvStore() {
    leaseTimer.scheduleAtFixedRate(this::expireLeases, 500, 500, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    try {
      synchronized (lock) {
        checkOpen();
        return CompletableFuture.completedFuture(rangeLocked(r));
      }
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RangeResponse rangeLocked(RangeRequest r) {
    long at = r.revision() <= 0 ? revision : r.revision();
    if (r.revision() > revision) {
      throw new StoreException(StoreException.Code.FUTURE_REVISION, "mvcc: required revision is a future revision");
    }
    if (r.revision() > 0 && r.revision() < compacted) {
      throw new StoreException(StoreException.Code.COMPACTED,
          "mvcc: required revision has been compacted", compacted, null);
    }
    List<KeyValue> out = new ArrayList<>();
    long count = 0;
    for (var e : span(r.key(), r.rangeEnd()).entrySet()) {
      KeyValue kv = visibleAt(e.getValue(), at);
      if (kv == null) continue;
      count++;
      if (r.countOnly()) continue;
      if (r.limit() > 0 && out.size() >= r.limit()) continue;
      out.add(r.keysOnly() ? new KeyValue(kv.key(), null, kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()) : kv);
    }
    return new RangeResponse(revision, out, r.limit() > 0 && count > out.size() && !r.countOnly(), count);
  }

  private NavigableMap<String, List<Version>> span(String key, String end) {
    if (end == null) {
      return keys.containsKey(key) ? keys.subMap(key, true, key, true) : new TreeMap<>();
    }
    if (end.equals("\0")) return keys.tailMap(key, true);
    if (key.compareTo(end) >= 0) return new TreeMap<>();
    return keys.subMap(key, true, end, false);
  }

  private static KeyValue visibleAt(List<Version> versions, long at) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (versions.get(i).revision() <= at) return versions.get(i).kv();
    }
    return null;
  }

  private static KeyValue current(List<Version> versions) {
    return versions == null || versions.isEmpty() ? null : versions.get(versions.size() - 1).kv();
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest p) {
    try {
      List<WatchEvent> events = new ArrayList<>();
      PutResponse resp;
      synchronized (lock) {
        checkOpen();
        revision++;
        resp = putLocked(p, events);
        commitLocked(events);
      }
      return CompletableFuture.completedFuture(resp);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private PutResponse putLocked(PutRequest p, List<WatchEvent> events) {
    if (p.lease() != 0 && !leaseExpiry.containsKey(p.lease())) {
      throw new StoreException(StoreException.Code.LEASE_NOT_FOUND, "etcdserver: requested lease not found");
    }
    List<Version> versions = keys.computeIfAbsent(p.key(), k -> new ArrayList<>());
    KeyValue prev = current(versions);
    KeyValue kv = new KeyValue(p.key(), p.value(), prev == null ? revision : prev.createRevision(),
        revision, prev == null ? 1 : prev.version() + 1, p.lease());
    versions.add(new Version(revision, kv));
    if (prev != null && prev.lease() != 0 && prev.lease() != p.lease()) {
      Set<String> s = leaseKeys.get(prev.lease());
      if (s != null) s.remove(p.key());
    }
    if (p.lease() != 0) leaseKeys.computeIfAbsent(p.lease(), l -> new HashSet<>()).add(p.key());
    events.add(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
    return new PutResponse(revision, p.prevKv() ? prev : null);
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest d) {
    try {
      List<WatchEvent> events = new ArrayList<>();
      DeleteResponse resp;
      synchronized (lock) {
        checkOpen();
        revision++;
        resp = deleteLocked(d, events);
        if (events.isEmpty()) revision--; // etcd: a delete of nothing does not bump the revision
        commitLocked(events);
        resp = new DeleteResponse(revision, resp.deleted(), resp.prevKvs());
      }
      return CompletableFuture.completedFuture(resp);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private DeleteResponse deleteLocked(DeleteRequest d, List<WatchEvent> events) {
    List<KeyValue> prevs = new ArrayList<>();
    for (var e : new ArrayList<>(span(d.key(), d.rangeEnd()).entrySet())) {
      KeyValue prev = current(e.getValue());
      if (prev == null) continue;
      e.getValue().add(new Version(revision, null));
      prevs.add(prev);
      if (prev.lease() != 0) {
        Set<String> s = leaseKeys.get(prev.lease());
        if (s != null) s.remove(prev.key());
      }
      events.add(new WatchEvent(WatchEvent.Type.DELETE,
          new KeyValue(prev.key(), null, 0, revision, 0, 0), prev));
    }
    return new DeleteResponse(revision, prevs.size(), d.prevKv() ? prevs : List.of());
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest t) {
    try {
      List<WatchEvent> events = new ArrayList<>();
      TxnResponse resp;
      synchronized (lock) {
        checkOpen();
        boolean ok = true;
        for (Compare c : t.compares()) ok &= holds(c);
        List<Op> ops = ok ? t.success() : t.failure();
        boolean writes = ops.stream().anyMatch(o -> !(o instanceof RangeRequest));
        if (writes) revision++;
        List<OpResponse> out = new ArrayList<>();
        for (Op op : ops) {
          if (op instanceof RangeRequest r) out.add(rangeLocked(r));
          else if (op instanceof PutRequest p) out.add(putLocked(p, events));
          else if (op instanceof DeleteRequest d) out.add(deleteLocked(d, events));
        }
        if (writes && events.isEmpty()) revision--;
        commitLocked(events);
        resp = new TxnResponse(revision, ok, out);
      }
      return CompletableFuture.completedFuture(resp);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private boolean holds(Compare c) {
    KeyValue kv = current(keys.get(c.key()));
    int cmp;
    if (c.target() == Compare.Target.VALUE) {
      byte[] v = kv == null ? null : kv.value();
      if (v == null) return c.result() == Compare.Result.NOT_EQUAL;
      cmp = Arrays.compare(v, c.value());
    } else {
      long actual = kv == null ? 0 : switch (c.target()) {
        case VERSION -> kv.version();
        case CREATE -> kv.createRevision();
        case MOD -> kv.modRevision();
        case LEASE -> kv.lease();
        default -> 0;
      };
      cmp = Long.compare(actual, c.number());
    }
    return switch (c.result()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
    };
  }

  /** Records the events of the current revision and hands them to the matching watchers. */
  private void commitLocked(List<WatchEvent> events) {
    if (events.isEmpty()) return;
    history.put(revision, List.copyOf(events));
    for (Watcher w : watchers) w.offer(revision, events);
  }

  @Override
  public CompletableFuture<Long> compact(long rev) {
    synchronized (lock) {
      if (rev <= compacted) {
        return CompletableFuture.failedFuture(new StoreException(StoreException.Code.COMPACTED,
            "mvcc: required revision has been compacted", compacted, null));
      }
      if (rev > revision) {
        return CompletableFuture.failedFuture(new StoreException(StoreException.Code.FUTURE_REVISION,
            "mvcc: required revision is a future revision"));
      }
      compacted = rev;
      history.headMap(rev, false).clear();
      for (Iterator<List<Version>> it = keys.values().iterator(); it.hasNext(); ) {
        List<Version> vs = it.next();
        int keep = vs.size() - 1;
        while (keep > 0 && vs.get(keep).revision() > rev) keep--;
        // Keep the newest version at or below rev (if live) and everything after it.
        List<Version> tail = new ArrayList<>(vs.subList(keep, vs.size()));
        if (!tail.isEmpty() && tail.get(0).kv() == null && tail.get(0).revision() <= rev) tail.remove(0);
        vs.clear();
        vs.addAll(tail);
        if (vs.isEmpty()) it.remove();
      }
      return CompletableFuture.completedFuture(rev);
    }
  }

  @Override
  public WatchHandle watch(WatchRequest r, WatchListener listener) {
    Watcher w = new Watcher(r, listener);
    synchronized (lock) {
      if (closed) {
        w.fail(new StoreException(StoreException.Code.UNAVAILABLE, "store closed"));
        return w;
      }
      long start = r.startRevision() <= 0 ? revision + 1 : r.startRevision();
      if (start <= compacted) {
        w.compacted(compacted);
        return w;
      }
      for (var e : history.tailMap(start, true).entrySet()) w.offer(e.getKey(), e.getValue());
      watchers.add(w);
    }
    return w;
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    synchronized (lock) {
      long id = nextLease++;
      leaseExpiry.put(id, System.nanoTime() + TimeUnit.SECONDS.toNanos(ttlSeconds));
      leaseKeys.put(id, new HashSet<>());
      return CompletableFuture.completedFuture(new Lease(id, ttlSeconds));
    }
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    synchronized (lock) {
      if (!leaseExpiry.containsKey(leaseId)) {
        return CompletableFuture.failedFuture(new StoreException(StoreException.Code.LEASE_NOT_FOUND,
            "etcdserver: requested lease not found"));
      }
      revokeLocked(leaseId);
      return CompletableFuture.completedFuture(null);
    }
  }

  private void revokeLocked(long leaseId) {
    leaseExpiry.remove(leaseId);
    Set<String> ks = leaseKeys.remove(leaseId);
    if (ks == null || ks.isEmpty()) return;
    List<WatchEvent> events = new ArrayList<>();
    revision++;
    for (String k : ks) deleteLocked(DeleteRequest.key(k), events);
    if (events.isEmpty()) revision--;
    commitLocked(events);
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    synchronized (lock) {
      Long exp = leaseExpiry.get(leaseId);
      if (exp == null) {
        return CompletableFuture.failedFuture(new StoreException(StoreException.Code.LEASE_NOT_FOUND,
            "etcdserver: requested lease not found"));
      }
      return CompletableFuture.completedFuture(new Lease(leaseId, 0));
    }
  }

  private void expireLeases() {
    synchronized (lock) {
      long now = System.nanoTime();
      for (Long id : new ArrayList<>(leaseExpiry.keySet())) {
        if (leaseExpiry.get(id) - now < 0) revokeLocked(id);
      }
    }
  }

  /** The current revision (tests). */
  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  @Override
  public void close() {
    List<Watcher> ws;
    synchronized (lock) {
      if (closed) return;
      closed = true;
      ws = new ArrayList<>(watchers);
      watchers.clear();
    }
    for (Watcher w : ws) w.fail(new StoreException(StoreException.Code.UNAVAILABLE, "store closed"));
    leaseTimer.shutdownNow();
    delivery.shutdown();
  }

  private void checkOpen() {
    if (closed) throw new StoreException(StoreException.Code.UNAVAILABLE, "store closed");
  }

  /** One watch: filters events by key range and delivers them in order on a serial executor. */
  private final class Watcher implements WatchHandle {
    private final WatchRequest req;
    private final WatchListener listener;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean open = new AtomicBoolean(true);

    Watcher(WatchRequest req, WatchListener listener) {
      this.req = req;
      this.listener = listener;
    }

    void offer(long rev, List<WatchEvent> events) {
      List<WatchEvent> mine = new ArrayList<>();
      for (WatchEvent e : events) {
        if (matches(e.kv().key())) {
          mine.add(req.prevKv() ? e : new WatchEvent(e.type(), e.kv(), null));
        }
      }
      if (!mine.isEmpty()) submit(() -> listener.onEvents(rev, mine));
    }

    private boolean matches(String key) {
      if (req.rangeEnd() == null) return key.equals(req.key());
      if (req.rangeEnd().equals("\0")) return key.compareTo(req.key()) >= 0;
      return key.compareTo(req.key()) >= 0 && key.compareTo(req.rangeEnd()) < 0;
    }

    void compacted(long rev) {
      submit(() -> listener.onCompacted(rev));
      open.set(false);
    }

    void fail(Throwable t) {
      submit(() -> listener.onError(t));
      open.set(false);
    }

    private void submit(Runnable r) {
      if (!open.get()) return;
      tasks.add(r);
      if (pending.getAndIncrement() == 0) delivery.execute(this::drain);
    }

    private void drain() {
      do {
        Runnable r = tasks.poll();
        if (r != null) {
          try {
            r.run();
          } catch (RuntimeException ignored) {
            // a listener must not throw; keep delivering to the others
          }
        }
      } while (pending.decrementAndGet() > 0);
    }

    @Override
    public void close() {
      open.set(false);
      synchronized (lock) {
        watchers.remove(this);
      }
    }
  }
}
