package kubelab.store.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.DeleteResponse;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.KvStore.Lease;
import kubelab.store.KvStore.Op;
import kubelab.store.KvStore.OpResponse;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.PutResponse;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.RangeResponse;
import kubelab.store.KvStore.TxnRequest;
import kubelab.store.KvStore.TxnResponse;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchListener;
import kubelab.store.KvStore.WatchRequest;
import kubelab.store.Params;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;

/**
 * The multi-version keyspace: etcd's mvcc package as a deterministic state machine.
 *
 * <p>State: a global revision (1 in an empty store, +1 for every command that changed at least
 * one key), an ordered index of keys, each with its {@link KeyHistory} (createRevision,
 * modRevision, version per value), the {@link EventLog} of changes since the compact revision,
 * and the leases with their attached keys. {@link #apply} is the only way to change it, and it
 * depends on nothing but the command and the state: no clock, no randomness. Every member of a
 * cluster applies the same commands in the same order, so every member holds the same keyspace.
 *
 * <p>Error texts are etcd 3.4's ({@code mvcc: required revision has been compacted}, ...), so
 * callers and learners meet the wording they know.
 *
 * <p>Thread-safe: every public method holds this object's monitor. Watch listeners and the lease
 * observer are called with it held only to enqueue; listeners run on their own executors.
 * Returned {@link KeyValue} values share their byte arrays with the store: never mutate them.
 */
public final class MvccStore {
  // Error texts of etcd 3.4 (mvcc/kvstore.go, etcdserver/errors.go, lease/lessor.go).
  static final String ERR_COMPACTED = "mvcc: required revision has been compacted";
  static final String ERR_FUTURE_REV = "mvcc: required revision is a future revision";
  static final String ERR_LEASE_NOT_FOUND = "etcdserver: requested lease not found";
  static final String ERR_LEASE_EXISTS = "etcdserver: lease already exists";
  static final String ERR_KEY_NOT_FOUND = "etcdserver: key is not provided";
  static final String ERR_DUPLICATE_KEY = "etcdserver: duplicate key given in txn request";

  /** Told about lease changes as they are applied, so a member can run the expiry timers. */
  public interface LeaseObserver {
    void granted(long id, long ttlSeconds);

    void renewed(long id, long ttlSeconds);

    void revoked(long id);

    /** The state was replaced by a snapshot: these leases (id to TTL) exist now, no others. */
    void restored(Map<Long, Long> leases);
  }

  private static final LeaseObserver NO_OBSERVER = new LeaseObserver() {
    @Override public void granted(long id, long ttl) {}
    @Override public void renewed(long id, long ttl) {}
    @Override public void revoked(long id) {}
    @Override public void restored(Map<Long, Long> leases) {}
  };

  static final class LeaseEntry {
    final long ttl;
    final Set<String> keys = new HashSet<>();

    LeaseEntry(long ttl) {
      this.ttl = ttl;
    }
  }

  final TreeMap<String, KeyHistory> index = new TreeMap<>();
  final TreeMap<Long, LeaseEntry> leases = new TreeMap<>();
  long revision = 1;
  long compactRevision = 0;
  EventLog log = new EventLog(2);
  private final WatchHub hub = new WatchHub();
  private LeaseObserver leaseObserver = NO_OBSERVER;

  public synchronized void setLeaseObserver(LeaseObserver o) {
    leaseObserver = o == null ? NO_OBSERVER : o;
  }

  public synchronized long revision() {
    return revision;
  }

  public synchronized long compactRevision() {
    return compactRevision;
  }

  /** Keys in the index, deleted ones included until compaction forgets them. */
  public synchronized long keyCount() {
    return index.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  public synchronized RangeResponse range(RangeRequest r) {
    return rangeAt(r, revision, revision);
  }

  private RangeResponse rangeAt(RangeRequest r, long current, long headerRev) {
    requireKey(r.key());
    long rev = r.revision() <= 0 ? current : r.revision();
    if (rev > current) throw new StoreException(Code.FUTURE_REVISION, ERR_FUTURE_REV);
    if (rev < compactRevision) throw new StoreException(Code.COMPACTED, ERR_COMPACTED, compactRevision, null);
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    long limit = r.limit() <= 0 ? Long.MAX_VALUE : r.limit();
    for (KeyHistory h : histories(r.key(), r.rangeEnd())) {
      KeyValue kv = h.at(rev);
      if (kv == null) continue;
      count++;
      if (r.countOnly() || kvs.size() >= limit) continue;
      kvs.add(r.keysOnly() ? new KeyValue(kv.key(), Command.EMPTY_VALUE, kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()) : kv);
    }
    return new RangeResponse(headerRev, kvs, count > kvs.size() && !r.countOnly(), count);
  }

  private Iterable<KeyHistory> histories(String key, String end) {
    if (end == null) {
      KeyHistory h = index.get(key);
      return h == null ? List.of() : List.of(h);
    }
    if (end.equals("\0")) return index.tailMap(key, true).values();
    if (end.compareTo(key) <= 0) return List.of();
    return index.subMap(key, true, end, false).values();
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) throw new StoreException(Code.INVALID_ARGUMENT, ERR_KEY_NOT_FOUND);
  }

  // ---------------------------------------------------------------------------------------------
  // Writes: one command, at most one new revision.

  /**
   * Applies one command and returns its response ({@link PutResponse}, {@link DeleteResponse},
   * {@link TxnResponse}, the revision for a compaction, a {@link Lease}, or null for a revoke).
   *
   * @throws StoreException for a command that is refused; the state is then unchanged
   */
  public synchronized Object apply(Command c) {
    java.util.Objects.requireNonNull(c, "command");
    if (c instanceof Command.Put p) {
      checkPut(p.request());
      Write w = new Write();
      KeyValue prev = w.put(p.request());
      w.commit();
      return new PutResponse(revision, p.request().prevKv() ? prev : null);
    } else if (c instanceof Command.Delete d) {
      requireKey(d.request().key());
      Write w = new Write();
      DeleteResponse resp = w.delete(d.request());
      w.commit();
      return new DeleteResponse(revision, resp.deleted(), resp.prevKvs());
    } else if (c instanceof Command.Txn t) {
      return txn(t.request());
    } else if (c instanceof Command.Compact k) {
      compact(k.revision());
      return revision;
    } else if (c instanceof Command.LeaseGrant g) {
      if (g.id() <= 0) throw new StoreException(Code.INVALID_ARGUMENT, "etcdserver: lease ID must be positive");
      if (leases.containsKey(g.id())) throw new StoreException(Code.INVALID_ARGUMENT, ERR_LEASE_EXISTS);
      long ttl = Math.max(g.ttlSeconds(), Params.MIN_LEASE_TTL_SECONDS);
      leases.put(g.id(), new LeaseEntry(ttl));
      leaseObserver.granted(g.id(), ttl);
      return new Lease(g.id(), ttl);
    } else if (c instanceof Command.LeaseRevoke r) {
      LeaseEntry l = leases.get(r.id());
      if (l == null) throw new StoreException(Code.LEASE_NOT_FOUND, ERR_LEASE_NOT_FOUND);
      Write w = new Write();
      for (String key : new TreeSet<>(l.keys)) w.delete(new DeleteRequest(key, null, false));
      w.commit();
      leases.remove(r.id());
      leaseObserver.revoked(r.id());
      return null;
    } else if (c instanceof Command.LeaseRenew r) {
      LeaseEntry l = leases.get(r.id());
      if (l == null) throw new StoreException(Code.LEASE_NOT_FOUND, ERR_LEASE_NOT_FOUND);
      leaseObserver.renewed(r.id(), l.ttl);
      return new Lease(r.id(), l.ttl);
    }
    throw new IllegalArgumentException("unknown command " + c);
  }

  private void checkPut(PutRequest p) {
    requireKey(p.key());
    if (p.lease() != 0 && !leases.containsKey(p.lease())) throw new StoreException(Code.LEASE_NOT_FOUND, ERR_LEASE_NOT_FOUND);
  }

  private TxnResponse txn(TxnRequest t) {
    checkIntervals(t.success());
    checkIntervals(t.failure());
    boolean ok = true;
    for (Compare c : t.compares()) {
      if (!holds(c)) {
        ok = false;
        break;
      }
    }
    List<Op> ops = ok ? t.success() : t.failure();
    for (Op op : ops) {
      if (op instanceof PutRequest p) checkPut(p);
      else if (op instanceof RangeRequest r) requireKey(r.key());
      else if (op instanceof DeleteRequest d) requireKey(d.key());
    }
    // Ranges inside the transaction must not fail half-way: check their revisions first.
    for (Op op : ops) {
      if (op instanceof RangeRequest r && r.revision() > 0) {
        if (r.revision() < compactRevision) throw new StoreException(Code.COMPACTED, ERR_COMPACTED, compactRevision, null);
        if (r.revision() > revision) throw new StoreException(Code.FUTURE_REVISION, ERR_FUTURE_REV);
      }
    }
    Write w = new Write();
    List<Object> raw = new ArrayList<>(ops.size());
    for (Op op : ops) {
      if (op instanceof PutRequest p) raw.add(w.put(p));
      else if (op instanceof DeleteRequest d) raw.add(w.delete(d));
      else raw.add(w.range((RangeRequest) op));
    }
    w.commit();
    // Every response in a transaction carries the revision after it (etcd sets one header).
    List<OpResponse> out = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      Object r = raw.get(i);
      if (op instanceof PutRequest p) out.add(new PutResponse(revision, p.prevKv() ? (KeyValue) r : null));
      else if (op instanceof DeleteRequest) out.add(new DeleteResponse(revision, ((DeleteResponse) r).deleted(), ((DeleteResponse) r).prevKvs()));
      else out.add(new RangeResponse(revision, ((RangeResponse) r).kvs(), ((RangeResponse) r).more(), ((RangeResponse) r).count()));
    }
    return new TxnResponse(revision, ok, out);
  }

  /** etcd refuses a transaction branch that puts one key twice, or puts a key it also deletes. */
  private static void checkIntervals(List<Op> ops) {
    Set<String> puts = new HashSet<>();
    List<DeleteRequest> dels = new ArrayList<>();
    for (Op op : ops) {
      if (op instanceof PutRequest p && !puts.add(p.key())) throw new StoreException(Code.INVALID_ARGUMENT, ERR_DUPLICATE_KEY);
      if (op instanceof DeleteRequest d) dels.add(d);
    }
    for (DeleteRequest d : dels) {
      for (String k : puts) {
        if (inRange(k, d.key(), d.rangeEnd())) throw new StoreException(Code.INVALID_ARGUMENT, ERR_DUPLICATE_KEY);
      }
    }
  }

  static boolean inRange(String k, String key, String end) {
    if (end == null) return k.equals(key);
    if (k.compareTo(key) < 0) return false;
    return end.equals("\0") || k.compareTo(end) < 0;
  }

  /** A compare of a transaction against the present state (etcd's applyCompare). */
  private boolean holds(Compare c) {
    requireKey(c.key());
    KeyHistory h = index.get(c.key());
    KeyValue kv = h == null ? null : h.live();
    int cmp;
    switch (c.target()) {
      case VALUE -> {
        if (kv == null) return false; // etcd: comparing the value of a missing key always fails
        cmp = Arrays.compareUnsigned(kv.value(), c.value() == null ? Command.EMPTY_VALUE : c.value());
      }
      case VERSION -> cmp = Long.compare(kv == null ? 0 : kv.version(), c.number());
      case CREATE -> cmp = Long.compare(kv == null ? 0 : kv.createRevision(), c.number());
      case MOD -> cmp = Long.compare(kv == null ? 0 : kv.modRevision(), c.number());
      case LEASE -> cmp = Long.compare(kv == null ? 0 : kv.lease(), c.number());
      default -> throw new IllegalArgumentException("compare target " + c.target());
    }
    return switch (c.result()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
    };
  }

  /**
   * The changes of one command. Everything it writes gets revision {@code revision + 1} and the
   * next sub-revision; {@link #commit()} makes that revision current only if something changed.
   * Reads inside the transaction see its own earlier writes (as etcd's write txn does).
   */
  private final class Write {
    final long rev = revision + 1;
    int sub;
    final ArrayList<WatchEvent> events = new ArrayList<>(2);

    /** Puts a value; returns the previous live value or null. */
    KeyValue put(PutRequest p) {
      KeyHistory h = index.get(p.key());
      KeyValue prev = h == null ? null : h.live();
      // Every version of a key shares one String (the request's own copy would be kept per version).
      String key = h != null && h.size() > 0 ? h.get(0).key() : p.key();
      KeyValue kv = prev == null
          ? new KeyValue(key, p.value() == null ? Command.EMPTY_VALUE : p.value(), rev, rev, 1, p.lease())
          : new KeyValue(key, p.value() == null ? Command.EMPTY_VALUE : p.value(), prev.createRevision(), rev, prev.version() + 1, p.lease());
      if (h == null) index.put(p.key(), h = new KeyHistory());
      h.add(kv, sub++);
      if (prev != null && prev.lease() != 0 && prev.lease() != p.lease()) detach(prev.lease(), p.key());
      if (p.lease() != 0) leases.get(p.lease()).keys.add(p.key());
      events.add(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
      return prev;
    }

    DeleteResponse delete(DeleteRequest d) {
      List<KeyHistory> hit = new ArrayList<>();
      for (KeyHistory h : histories(d.key(), d.rangeEnd())) {
        if (h.live() != null) hit.add(h);
      }
      List<KeyValue> prevs = d.prevKv() ? new ArrayList<>(hit.size()) : List.of();
      for (KeyHistory h : hit) {
        KeyValue prev = h.live();
        KeyValue tomb = new KeyValue(prev.key(), Command.EMPTY_VALUE, 0, rev, 0, 0);
        h.add(tomb, sub++);
        if (prev.lease() != 0) detach(prev.lease(), prev.key());
        events.add(new WatchEvent(WatchEvent.Type.DELETE, tomb, prev));
        if (d.prevKv()) prevs.add(prev);
      }
      return new DeleteResponse(0, hit.size(), prevs);
    }

    RangeResponse range(RangeRequest r) {
      long now = events.isEmpty() ? revision : rev;
      return rangeAt(r, now, now);
    }

    void commit() {
      if (events.isEmpty()) return;
      revision = rev;
      List<WatchEvent> evs = List.copyOf(events);
      log.append(rev, evs);
      hub.publish(rev, evs);
    }
  }

  private void detach(long lease, String key) {
    LeaseEntry l = leases.get(lease);
    if (l != null) l.keys.remove(key);
  }

  private void compact(long rev) {
    if (rev <= compactRevision) throw new StoreException(Code.COMPACTED, ERR_COMPACTED, compactRevision, null);
    if (rev > revision) throw new StoreException(Code.FUTURE_REVISION, ERR_FUTURE_REV);
    for (var it = index.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue().compact(rev)) it.remove();
    }
    log.dropBefore(rev);
    compactRevision = rev;
  }

  // ---------------------------------------------------------------------------------------------
  // Watches

  /** Starts a watch; see {@link WatchHub}. Returns its id for {@link #cancelWatch}. */
  public synchronized long watch(WatchRequest r, WatchListener listener) {
    return watch(r, listener, false);
  }

  /**
   * As {@link #watch(WatchRequest, WatchListener)}; with {@code inline}, the listener runs on the
   * thread that applies, under this store's lock: it must only enqueue, never block or call back.
   */
  public synchronized long watch(WatchRequest r, WatchListener listener, boolean inline) {
    requireKey(r.key());
    return hub.add(r, listener, revision, compactRevision, log, inline).id;
  }

  public synchronized void cancelWatch(long id) {
    hub.remove(id);
  }

  /** Sends watch {@code id} a progress notification at the current revision. */
  public synchronized void requestProgress(long id) {
    hub.progress(id, revision);
  }

  /** Sends every watch that asked for progress notifications one (called periodically). */
  public synchronized void progressNotify() {
    hub.progress(revision, false);
  }

  /** Ends every watch with {@code cause}. */
  public synchronized void closeWatches(Throwable cause) {
    hub.closeAll(cause);
  }

  // ---------------------------------------------------------------------------------------------
  // Leases

  /** Lease ids with their TTL, in id order. */
  public synchronized Map<Long, Long> leases() {
    Map<Long, Long> out = new TreeMap<>();
    leases.forEach((id, l) -> out.put(id, l.ttl));
    return out;
  }

  /** Keys attached to a lease, sorted; empty if it does not exist. */
  public synchronized List<String> leaseKeys(long id) {
    LeaseEntry l = leases.get(id);
    return l == null ? List.of() : new ArrayList<>(new TreeSet<>(l.keys));
  }

  /** The TTL of a lease, or -1 if it does not exist. */
  public synchronized long leaseTtl(long id) {
    LeaseEntry l = leases.get(id);
    return l == null ? -1 : l.ttl;
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshots

  /** The whole state, encoded (see {@link MvccSnapshot}). */
  public synchronized byte[] snapshot() {
    return MvccSnapshot.encode(this);
  }

  /**
   * The state as it is now, encoded later by whoever calls the supplier (on any thread): taking
   * it costs a pass over the keys, not an encoding of every version, so the apply thread does not
   * stop for a large keyspace while the snapshot is written.
   */
  public synchronized java.util.function.Supplier<byte[]> snapshotLater() {
    MvccSnapshot.Frozen f = MvccSnapshot.freeze(this);
    return () -> MvccSnapshot.encode(f);
  }

  /** Replaces the whole state with a snapshot; watches replay what changed or end as compacted. */
  public synchronized void restore(byte[] data) {
    MvccSnapshot.decodeInto(data, this);
    hub.resync(revision, compactRevision, log);
    Map<Long, Long> now = new TreeMap<>();
    leases.forEach((id, l) -> now.put(id, l.ttl));
    leaseObserver.restored(now);
  }

  /** A checksum of the state (etcd's HashKV): equal on members that applied the same commands. */
  public synchronized long hash() {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(MvccSnapshot.encode(this));
    return crc.getValue();
  }

  NavigableMap<String, KeyHistory> index() {
    return index;
  }
}
