package kubelab.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kubelab.store.mvcc.Command;
import kubelab.store.mvcc.LeaseTimers;
import kubelab.store.mvcc.MvccStore;

/**
 * A single-member store in memory: the keyspace ({@link MvccStore}) with no log, no disk and no
 * peers. Commands apply at once, in the caller's thread, under the keyspace lock; futures are
 * returned already complete. Leases expire on the injected clock, checked every {@link
 * Params#LEASE_CHECK_INTERVAL} (tests with a fake clock call {@link #expireLeases()}).
 *
 * <p>It is the fast double of the replicated store for components that test against a store
 * (the API server), and it passes the same {@code KvStoreContract}. Nothing survives {@link #close()}.
 */
public final class LocalKvStore implements KvStore {
  private final MvccStore mvcc = new MvccStore();
  private final LeaseTimers timers;
  private final ScheduledExecutorService ticker;
  private volatile boolean closed;

  public LocalKvStore() {
    this(Clock.systemUTC());
  }

  public LocalKvStore(Clock clock) {
    timers = new LeaseTimers(clock);
    mvcc.setLeaseObserver(timers);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kubelab-local-store-leases");
      t.setDaemon(true);
      return t;
    });
    long ms = Params.LEASE_CHECK_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(this::expireLeases, ms, ms, TimeUnit.MILLISECONDS);
    long pms = Params.WATCH_PROGRESS_INTERVAL.toMillis();
    ticker.scheduleWithFixedDelay(mvcc::progressNotify, pms, pms, TimeUnit.MILLISECONDS);
  }

  /** The keyspace itself (for tests and introspection). */
  public MvccStore mvcc() {
    return mvcc;
  }

  /** Revokes every lease whose TTL ran out on the clock; returns how many. */
  public int expireLeases() {
    int n = 0;
    for (long id : timers.expired()) {
      try {
        mvcc.apply(new Command.LeaseRevoke(id));
        n++;
      } catch (StoreException e) {
        // revoked meanwhile by a client: nothing to do
      }
    }
    return n;
  }

  private <T> CompletableFuture<T> run(Supplier<T> s) {
    if (closed) return CompletableFuture.failedFuture(new StoreException(StoreException.Code.UNAVAILABLE, "store closed"));
    try {
      return CompletableFuture.completedFuture(s.get());
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new StoreException(StoreException.Code.INTERNAL, String.valueOf(e), 0, e));
    }
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> apply(Command c) {
    return run(() -> (T) mvcc.apply(c));
  }

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest request) {
    return run(() -> mvcc.range(request));
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest r) {
    // Copy the value: the caller may reuse its array, and the store keeps what it is given.
    byte[] v = r.value() == null ? null : r.value().clone();
    return apply(new Command.Put(new PutRequest(r.key(), v, r.lease(), r.prevKv())));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest request) {
    return apply(new Command.Delete(request));
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest r) {
    return apply(new Command.Txn(new TxnRequest(r.compares(), copyValues(r.success()), copyValues(r.failure()))));
  }

  private static List<Op> copyValues(List<Op> ops) {
    List<Op> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      out.add(op instanceof PutRequest p && p.value() != null ? new PutRequest(p.key(), p.value().clone(), p.lease(), p.prevKv()) : op);
    }
    return out;
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return apply(new Command.Compact(revision));
  }

  @Override
  public WatchHandle watch(WatchRequest request, WatchListener listener) {
    if (closed) throw new StoreException(StoreException.Code.UNAVAILABLE, "store closed");
    long id = mvcc.watch(request, listener);
    return new WatchHandle() {
      @Override public void requestProgress() { mvcc.requestProgress(id); }
      @Override public void close() { mvcc.cancelWatch(id); }
    };
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    return run(() -> {
      while (true) {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try {
          return (Lease) mvcc.apply(new Command.LeaseGrant(id, ttlSeconds));
        } catch (StoreException e) {
          if (!e.getMessage().contains("already exists")) throw e;
        }
      }
    });
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    return apply(new Command.LeaseRevoke(leaseId));
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    return apply(new Command.LeaseRenew(leaseId));
  }

  @Override
  public CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys) {
    return run(() -> {
      long ttl = mvcc.leaseTtl(leaseId);
      if (ttl < 0) return new LeaseStatus(leaseId, -1, 0, List.of());
      return new LeaseStatus(leaseId, timers.remainingSeconds(leaseId), ttl, keys ? mvcc.leaseKeys(leaseId) : List.of());
    });
  }

  @Override
  public CompletableFuture<List<Long>> leases() {
    return run(() -> new ArrayList<>(mvcc.leases().keySet()));
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    ticker.shutdownNow();
    mvcc.closeWatches(new StoreException(StoreException.Code.UNAVAILABLE, "store closed"));
  }
}
