package kubelab.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.KvStore.Lease;
import kubelab.store.KvStore.Op;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.RangeResponse;
import kubelab.store.KvStore.TxnRequest;
import kubelab.store.KvStore.TxnResponse;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchHandle;
import kubelab.store.KvStore.WatchListener;
import kubelab.store.KvStore.WatchRequest;
import kubelab.store.StoreException.Code;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KvStore} must have: etcd v3's semantics. One subclass per
 * implementation (in memory, embedded replicated, remote over TCP; also real etcd through jetcd,
 * which is how these rules were checked against the original).
 *
 * <p>Each test starts from an empty store. Revisions are compared relative to the store's own
 * starting revision, so a store that begins above 1 still passes.
 */
public abstract class KvStoreContract {
  protected KvStore store;

  /** A new, empty store (or an existing one with a fresh, empty key prefix: see {@link #k}). */
  protected abstract KvStore newStore() throws Exception;

  /** Called after each test with the store from {@link #newStore()}. */
  protected void closeStore(KvStore s) throws Exception {
    s.close();
  }

  /** The key namespace of this test; an implementation sharing one server between tests overrides it. */
  protected String k(String key) {
    return key;
  }

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void shut() throws Exception {
    if (store != null) closeStore(store);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  protected static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer within 15 s", e);
    }
  }

  protected static StoreException failure(CompletableFuture<?> f) {
    try {
      f.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
      if (c instanceof StoreException s) return s;
      throw new AssertionError("failed with " + c + ", not a StoreException", c);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer within 15 s", e);
    }
    return fail("expected a StoreException, got success");
  }

  protected static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  protected long put(String key, String value) {
    return get(store.put(PutRequest.of(k(key), b(value)))).revision();
  }

  protected KeyValue one(String key) {
    RangeResponse r = get(store.range(RangeRequest.key(k(key))));
    return r.kvs().isEmpty() ? null : r.kvs().get(0);
  }

  protected long rev() {
    return get(store.range(RangeRequest.key(k("any")))).revision();
  }

  /** A watch listener that queues what it is told. */
  protected static final class Recorder implements WatchListener {
    final LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    final List<Long> progress = new CopyOnWriteArrayList<>();
    volatile Long compacted;
    volatile Throwable error;

    @Override public void onEvents(long revision, List<WatchEvent> evs) { events.addAll(evs); }
    @Override public void onProgress(long revision) { progress.add(revision); }
    @Override public void onCompacted(long compactRevision) { compacted = compactRevision; }
    @Override public void onError(Throwable cause) { error = cause; }

    WatchEvent next() throws InterruptedException {
      WatchEvent e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "no watch event within 10 s");
      return e;
    }

    void expectNothing(long millis) throws InterruptedException {
      WatchEvent e = events.poll(millis, TimeUnit.MILLISECONDS);
      assertNull(e, "unexpected event " + e);
    }
  }

  protected static void eventually(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("not within 15 s: " + what);
      Thread.sleep(20);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Revisions and versions

  @Test
  void putBumpsTheRevisionAndSetsCreateModAndVersion() {
    long r0 = rev();
    long r1 = put("a", "1");
    assertEquals(r0 + 1, r1);
    KeyValue kv = one("a");
    assertArrayEquals(b("1"), kv.value());
    assertEquals(r1, kv.createRevision());
    assertEquals(r1, kv.modRevision());
    assertEquals(1, kv.version());
  }

  @Test
  void aSecondPutKeepsCreateRevisionAndIncrementsVersion() {
    long r1 = put("a", "1");
    long r2 = put("a", "2");
    KeyValue kv = one("a");
    assertEquals(r1, kv.createRevision());
    assertEquals(r2, kv.modRevision());
    assertEquals(2, kv.version());
  }

  @Test
  void putWithPrevKvReturnsTheValueItReplaced() {
    put("a", "1");
    var r = get(store.put(new PutRequest(k("a"), b("2"), 0, true)));
    assertArrayEquals(b("1"), r.prevKv().value());
    var first = get(store.put(new PutRequest(k("fresh"), b("x"), 0, true)));
    assertNull(first.prevKv());
  }

  @Test
  void valuesAreBytesNotText() {
    byte[] v = new byte[256];
    for (int i = 0; i < v.length; i++) v[i] = (byte) i;
    get(store.put(PutRequest.of(k("bin"), v)));
    assertArrayEquals(v, one("bin").value());
    get(store.put(PutRequest.of(k("empty"), new byte[0])));
    assertArrayEquals(new byte[0], one("empty").value());
  }

  @Test
  void anEmptyKeyIsRefused() {
    assertEquals(Code.INVALID_ARGUMENT, failure(store.put(PutRequest.of("", b("x")))).code());
  }

  // ---------------------------------------------------------------------------------------------
  // Range

  @Test
  void aMissingKeyReadsAsNoKvsAtTheCurrentRevision() {
    long r = put("other", "x");
    RangeResponse resp = get(store.range(RangeRequest.key(k("missing"))));
    assertTrue(resp.kvs().isEmpty());
    assertEquals(0, resp.count());
    assertEquals(r, resp.revision());
  }

  @Test
  void aPrefixRangeReturnsItsKeysInKeyOrder() {
    put("p/b", "2");
    put("p/a", "1");
    put("p/c", "3");
    put("q/a", "x");
    put("p", "not under p/");
    RangeResponse r = get(store.range(RangeRequest.prefix(k("p/"))));
    assertEquals(List.of(k("p/a"), k("p/b"), k("p/c")), r.kvs().stream().map(KeyValue::key).toList());
    assertEquals(3, r.count());
    assertFalse(r.more());
  }

  @Test
  void anExplicitRangeEndIsExclusive() {
    put("r/a", "1");
    put("r/b", "2");
    put("r/c", "3");
    RangeResponse r = get(store.range(new RangeRequest(k("r/a"), k("r/c"), 0, 0, false, false, false)));
    assertEquals(List.of(k("r/a"), k("r/b")), r.kvs().stream().map(KeyValue::key).toList());
  }

  @Test
  void aLimitSetsMoreAndCountStillCountsEveryKey() {
    for (int i = 0; i < 5; i++) put("l/" + i, "v");
    RangeResponse r = get(store.range(RangeRequest.prefix(k("l/")).withLimit(2)));
    assertEquals(2, r.kvs().size());
    assertEquals(k("l/0"), r.kvs().get(0).key());
    assertTrue(r.more());
    assertEquals(5, r.count());
  }

  @Test
  void keysOnlyDropsValuesAndCountOnlyDropsKvs() {
    put("ko/a", "value");
    RangeResponse keys = get(store.range(RangeRequest.prefix(k("ko/")).withKeysOnly(true)));
    assertEquals(k("ko/a"), keys.kvs().get(0).key());
    assertEquals(0, keys.kvs().get(0).value().length);
    RangeResponse count = get(store.range(RangeRequest.prefix(k("ko/")).withCountOnly(true)));
    assertTrue(count.kvs().isEmpty());
    assertEquals(1, count.count());
  }

  @Test
  void aRangeAtAnOldRevisionSeesTheValueOfThatTime() {
    long r1 = put("h", "1");
    put("h", "2");
    get(store.delete(DeleteRequest.key(k("h"))));
    RangeResponse old = get(store.range(RangeRequest.key(k("h")).atRevision(r1)));
    assertArrayEquals(b("1"), old.kvs().get(0).value());
    assertTrue(get(store.range(RangeRequest.key(k("h")))).kvs().isEmpty());
  }

  @Test
  void aRangeAtAFutureRevisionFails() {
    long r = put("f", "1");
    assertEquals(Code.FUTURE_REVISION, failure(store.range(RangeRequest.key(k("f")).atRevision(r + 100))).code());
  }

  @Test
  void aSerializableRangeReadsTheLocalReplica() {
    put("s", "1");
    RangeResponse r = get(store.range(RangeRequest.key(k("s")).withSerializable(true)));
    // A serializable read may lag, but never behind this client's own acknowledged write here:
    // a single client talks to one member, which applied it before acknowledging or soon after.
    assertTrue(r.kvs().isEmpty() || new String(r.kvs().get(0).value(), UTF_8).equals("1"));
  }

  // ---------------------------------------------------------------------------------------------
  // Delete

  @Test
  void deletingAMissingKeyChangesNothing() {
    long r = put("x", "1");
    var d = get(store.delete(DeleteRequest.key(k("nothing-here"))));
    assertEquals(0, d.deleted());
    assertEquals(r, d.revision());
    assertEquals(r, rev());
  }

  @Test
  void deletingAPrefixRemovesEveryKeyInOneRevisionAndReturnsPrevKvs() {
    put("d/a", "1");
    put("d/b", "2");
    long before = put("e", "keep");
    var d = get(store.delete(new DeleteRequest(k("d/"), KvStore.prefixEnd(k("d/")), true)));
    assertEquals(2, d.deleted());
    assertEquals(before + 1, d.revision());
    assertEquals(List.of(k("d/a"), k("d/b")), d.prevKvs().stream().map(KeyValue::key).toList());
    assertEquals(0, get(store.range(RangeRequest.prefix(k("d/")))).count());
    assertNotNull(one("e"));
  }

  @Test
  void aPutAfterADeleteStartsANewGeneration() {
    put("g", "1");
    put("g", "2");
    get(store.delete(DeleteRequest.key(k("g"))));
    long r = put("g", "3");
    KeyValue kv = one("g");
    assertEquals(1, kv.version());
    assertEquals(r, kv.createRevision());
  }

  // ---------------------------------------------------------------------------------------------
  // Txn

  private TxnResponse txn(List<Compare> cmp, List<Op> then, List<Op> otherwise) {
    return get(store.txn(new TxnRequest(cmp, then, otherwise)));
  }

  @Test
  void aTxnOnModRevisionIsOptimisticConcurrency() {
    long r1 = put("obj", "v1");
    TxnResponse ok = txn(List.of(Compare.modRevision(k("obj"), Compare.Result.EQUAL, r1)),
        List.of(PutRequest.of(k("obj"), b("v2"))), List.of(RangeRequest.key(k("obj"))));
    assertTrue(ok.succeeded());
    TxnResponse stale = txn(List.of(Compare.modRevision(k("obj"), Compare.Result.EQUAL, r1)),
        List.of(PutRequest.of(k("obj"), b("v3"))), List.of(RangeRequest.key(k("obj"))));
    assertFalse(stale.succeeded());
    RangeResponse current = (RangeResponse) stale.responses().get(0);
    assertArrayEquals(b("v2"), current.kvs().get(0).value());
    assertArrayEquals(b("v2"), one("obj").value());
  }

  @Test
  void versionZeroMeansTheKeyDoesNotExist() {
    List<Compare> absent = List.of(Compare.version(k("c"), Compare.Result.EQUAL, 0));
    assertTrue(txn(absent, List.of(PutRequest.of(k("c"), b("1"))), List.of()).succeeded());
    assertFalse(txn(absent, List.of(PutRequest.of(k("c"), b("2"))), List.of()).succeeded());
    assertArrayEquals(b("1"), one("c").value());
  }

  @Test
  void comparingTheValueOfAMissingKeyFails() {
    assertFalse(txn(List.of(Compare.value(k("nope"), Compare.Result.NOT_EQUAL, b("x"))), List.of(), List.of()).succeeded());
    put("yes", "x");
    assertTrue(txn(List.of(Compare.value(k("yes"), Compare.Result.EQUAL, b("x"))), List.of(), List.of()).succeeded());
    assertTrue(txn(List.of(Compare.value(k("yes"), Compare.Result.GREATER, b("a"))), List.of(), List.of()).succeeded());
  }

  @Test
  void comparesOnCreateRevision() {
    long r = put("cr", "1");
    assertTrue(txn(List.of(Compare.createRevision(k("cr"), Compare.Result.EQUAL, r)), List.of(), List.of()).succeeded());
    assertFalse(txn(List.of(Compare.createRevision(k("cr"), Compare.Result.LESS, r)), List.of(), List.of()).succeeded());
  }

  @Test
  protected void comparesOnLease() {
    Lease l = get(store.leaseGrant(60));
    get(store.put(new PutRequest(k("cl"), b("1"), l.id(), false)));
    assertTrue(txn(List.of(new Compare(k("cl"), Compare.Target.LEASE, Compare.Result.EQUAL, l.id(), null)), List.of(), List.of()).succeeded());
    assertTrue(txn(List.of(new Compare(k("nolease"), Compare.Target.LEASE, Compare.Result.EQUAL, 0, null)), List.of(), List.of()).succeeded());
    get(store.leaseRevoke(l.id()));
  }

  @Test
  void aTxnIsOneRevisionAndItsReadsSeeItsOwnWrites() {
    long r0 = put("t0", "x");
    TxnResponse t = txn(List.of(), List.of(PutRequest.of(k("t/a"), b("1")), PutRequest.of(k("t/b"), b("2")),
        RangeRequest.prefix(k("t/"))), List.of());
    assertEquals(r0 + 1, t.revision());
    assertEquals(r0 + 1, one("t/a").modRevision());
    assertEquals(r0 + 1, one("t/b").modRevision());
    assertEquals(2, ((RangeResponse) t.responses().get(2)).count());
  }

  @Test
  void aTxnThatPutsOneKeyTwiceIsRefused() {
    var f = store.txn(new TxnRequest(List.of(), List.of(PutRequest.of(k("dup"), b("1")), PutRequest.of(k("dup"), b("2"))), List.of()));
    assertEquals(Code.INVALID_ARGUMENT, failure(f).code());
    assertNull(one("dup"));
  }

  // ---------------------------------------------------------------------------------------------
  // Compaction

  @Test
  void compactionMakesOlderRevisionsUnreadableButKeepsTheCurrentState() {
    long r1 = put("k", "1");
    long r2 = put("k", "2");
    put("k", "3");
    get(store.compact(r2));
    assertEquals(Code.COMPACTED, failure(store.range(RangeRequest.key(k("k")).atRevision(r1))).code());
    assertArrayEquals(b("2"), get(store.range(RangeRequest.key(k("k")).atRevision(r2))).kvs().get(0).value());
    assertArrayEquals(b("3"), one("k").value());
    assertEquals(Code.COMPACTED, failure(store.compact(r2)).code());
    assertEquals(Code.FUTURE_REVISION, failure(store.compact(rev() + 10)).code());
  }

  // ---------------------------------------------------------------------------------------------
  // Watch

  @Test
  void aWatchDeliversPutsAndDeletesInRevisionOrder() throws Exception {
    Recorder rec = new Recorder();
    try (WatchHandle h = store.watch(WatchRequest.prefix(k("w/"), 0), rec)) {
      long r1 = put("w/a", "1");
      put("elsewhere", "x");
      long r2 = put("w/a", "2");
      long r3 = get(store.delete(DeleteRequest.key(k("w/a")))).revision();
      WatchEvent e1 = rec.next();
      assertEquals(WatchEvent.Type.PUT, e1.type());
      assertEquals(r1, e1.kv().modRevision());
      assertEquals(r2, rec.next().kv().modRevision());
      WatchEvent del = rec.next();
      assertEquals(WatchEvent.Type.DELETE, del.type());
      assertEquals(r3, del.kv().modRevision());
      assertEquals(k("w/a"), del.kv().key());
      rec.expectNothing(200);
    }
  }

  @Test
  void aWatchFromAPastRevisionReplaysTheHistory() throws Exception {
    long r1 = put("hist/a", "1");
    put("hist/a", "2");
    put("hist/b", "3");
    Recorder rec = new Recorder();
    try (WatchHandle h = store.watch(WatchRequest.prefix(k("hist/"), r1), rec)) {
      assertArrayEquals(b("1"), rec.next().kv().value());
      assertArrayEquals(b("2"), rec.next().kv().value());
      assertArrayEquals(b("3"), rec.next().kv().value());
      put("hist/c", "4");
      assertArrayEquals(b("4"), rec.next().kv().value());
    }
  }

  @Test
  void aWatchFromACompactedRevisionEndsAsCompacted() throws Exception {
    long r1 = put("cw", "1");
    long r2 = put("cw", "2");
    get(store.compact(r2));
    Recorder rec = new Recorder();
    try (WatchHandle h = store.watch(new WatchRequest(k("cw"), null, r1, false, false), rec)) {
      eventually("onCompacted", () -> rec.compacted != null);
      assertEquals(r2, rec.compacted);
    }
  }

  @Test
  void aWatchWithPrevKvCarriesThePreviousValue() throws Exception {
    long r = put("pk", "old");
    Recorder rec = new Recorder();
    // From the revision after the put, not "from now": a member other than the one that took the
    // put may not have applied it yet, and its "now" would still include it (etcd does that too).
    try (WatchHandle h = store.watch(new WatchRequest(k("pk"), null, r + 1, true, false), rec)) {
      put("pk", "new");
      WatchEvent e = rec.next();
      assertArrayEquals(b("new"), e.kv().value());
      assertArrayEquals(b("old"), e.prevKv().value());
    }
  }

  @Test
  void aClosedWatchReceivesNothingMore() throws Exception {
    Recorder rec = new Recorder();
    WatchHandle h = store.watch(WatchRequest.prefix(k("cl/"), 0), rec);
    put("cl/a", "1");
    rec.next();
    h.close();
    put("cl/a", "2");
    rec.expectNothing(300);
  }

  @Test
  void aRequestedProgressNotificationReportsARevisionAtLeastTheLastWrite() throws Exception {
    Recorder rec = new Recorder();
    try (WatchHandle h = store.watch(WatchRequest.prefix(k("prog/"), 0), rec)) {
      long r = put("unrelated", "1");
      h.requestProgress();
      eventually("a progress notification", () -> !rec.progress.isEmpty() && rec.progress.get(rec.progress.size() - 1) >= r);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leases

  @Test
  void revokingALeaseDeletesItsKeys() throws Exception {
    Lease l = get(store.leaseGrant(60));
    assertTrue(l.id() > 0);
    assertTrue(l.ttlSeconds() >= 60);
    get(store.put(new PutRequest(k("lk/a"), b("1"), l.id(), false)));
    get(store.put(new PutRequest(k("lk/b"), b("2"), l.id(), false)));
    put("lk/c", "not leased");
    assertEquals(l.id(), one("lk/a").lease());
    var ttl = get(store.leaseTimeToLive(l.id(), true));
    assertEquals(List.of(k("lk/a"), k("lk/b")), ttl.keys());
    assertTrue(ttl.ttlSeconds() > 0 && ttl.ttlSeconds() <= 60, "ttl " + ttl.ttlSeconds());
    get(store.leaseRevoke(l.id()));
    assertEquals(1, get(store.range(RangeRequest.prefix(k("lk/")))).count());
    assertEquals(-1, get(store.leaseTimeToLive(l.id(), false)).ttlSeconds());
    assertEquals(Code.LEASE_NOT_FOUND, failure(store.leaseKeepAlive(l.id())).code());
    assertEquals(Code.LEASE_NOT_FOUND, failure(store.leaseRevoke(l.id())).code());
  }

  @Test
  protected void leasesListsTheLiveLeases() {
    Lease l = get(store.leaseGrant(60));
    assertTrue(get(store.leases()).contains(l.id()));
    get(store.leaseRevoke(l.id()));
    assertFalse(get(store.leases()).contains(l.id()));
  }

  @Test
  void aPutWithAnUnknownLeaseIsRefused() {
    assertEquals(Code.LEASE_NOT_FOUND, failure(store.put(new PutRequest(k("nl"), b("1"), 12345, false))).code());
    assertNull(one("nl"));
  }

  @Test
  void aPutWithoutTheLeaseDetachesTheKey() {
    Lease l = get(store.leaseGrant(60));
    get(store.put(new PutRequest(k("det"), b("1"), l.id(), false)));
    put("det", "2");
    get(store.leaseRevoke(l.id()));
    assertArrayEquals(b("2"), one("det").value());
  }

  @Test
  void anExpiredLeaseDeletesItsKeysAndKeepAliveKeepsItAlive() throws Exception {
    Lease dying = get(store.leaseGrant(1));
    Lease kept = get(store.leaseGrant(1));
    get(store.put(new PutRequest(k("exp/dying"), b("1"), dying.id(), false)));
    get(store.put(new PutRequest(k("exp/kept"), b("1"), kept.id(), false)));
    Recorder rec = new Recorder();
    try (WatchHandle h = store.watch(WatchRequest.prefix(k("exp/"), 0), rec)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (one("exp/dying") != null) {
        assertTrue(System.nanoTime() < deadline, "the lease did not expire within 20 s");
        Lease renewed = get(store.leaseKeepAlive(kept.id()));
        assertEquals(kept.id(), renewed.id());
        Thread.sleep(200);
      }
      WatchEvent e = rec.next();
      assertEquals(WatchEvent.Type.DELETE, e.type());
      assertEquals(k("exp/dying"), e.kv().key());
      assertNotNull(one("exp/kept"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  @Test
  void concurrentCreatesOfOneKeyLetExactlyOneWin() {
    List<CompletableFuture<TxnResponse>> fs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      fs.add(store.txn(new TxnRequest(List.of(Compare.createRevision(k("race"), Compare.Result.EQUAL, 0)),
          List.of(PutRequest.of(k("race"), b("w" + i))), List.of())));
    }
    long winners = fs.stream().map(KvStoreContract::get).filter(TxnResponse::succeeded).count();
    assertEquals(1, winners);
    assertEquals(1, one("race").version());
  }

  @Test
  void operationsOnAClosedStoreFailAsUnavailable() throws Exception {
    KvStore s = newStore();
    s.close();
    assertEquals(Code.UNAVAILABLE, failure(s.put(PutRequest.of(k("closed"), b("1")))).code());
    assertThrows(RuntimeException.class, () -> {
      CompletableFuture<?> f = s.range(RangeRequest.key(k("closed")));
      get(f);
    });
  }
}
