package kubelab.store.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kubelab.store.KvStore;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;

/**
 * A {@link KvStore} over several endpoints (members) of one cluster, moving to the next endpoint
 * when the current one is unreachable, as etcd's clientv3 balancer does.
 *
 * <p>Retry rules, because a write must never be applied twice by accident:
 * <ul>
 *   <li>{@link Code#UNAVAILABLE} means the request never reached a member: every request is
 *       retried on the next endpoint.
 *   <li>{@link Code#TIMEOUT} means the outcome is unknown: reads are retried, writes fail to the
 *       caller (who may check and retry, as Kubernetes' GuaranteedUpdate does with its compare).
 *   <li>Anything else is the store's answer and is returned.
 * </ul>
 * Watches follow the member too: when a member goes away, the watch is opened again on the next
 * one from the revision after the last event delivered, so the listener sees no gap and no
 * duplicate (or {@code onCompacted}, if that history is gone).
 *
 * <p>Thread-safe. Retries give up after {@code retryFor} milliseconds.
 */
public final class FailoverKvStore implements KvStore {
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubelab-store-failover");
    t.setDaemon(true);
    return t;
  });

  private final List<KvStore> endpoints;
  private final long retryForMillis;
  private final AtomicInteger current = new AtomicInteger();
  private volatile boolean closed;

  private final Runnable onClose;

  public FailoverKvStore(List<? extends KvStore> endpoints, long retryForMillis) {
    this(endpoints, retryForMillis, () -> {});
  }

  /** {@code onClose} runs once when this client is closed (an embedded cluster stops with its client). */
  public FailoverKvStore(List<? extends KvStore> endpoints, long retryForMillis, Runnable onClose) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoints");
    this.endpoints = new java.util.concurrent.CopyOnWriteArrayList<>(endpoints);
    this.retryForMillis = retryForMillis;
    this.onClose = onClose;
  }

  public List<KvStore> endpoints() {
    return List.copyOf(endpoints);
  }

  /** One more endpoint (a member added to the cluster); requests may go there from now on. */
  public void addEndpoint(KvStore e) {
    endpoints.add(e);
  }

  /** Which endpoint requests go to now. */
  public int currentEndpoint() {
    return current.get();
  }

  /** Sends requests to endpoint {@code i} from now on (e.g. the leader, to save a forwarding hop). */
  public void prefer(int i) {
    current.set(i);
  }

  private volatile java.util.concurrent.ScheduledFuture<?> discovery;

  /**
   * Keeps requests on the leader: now and every {@code every}, asks each endpoint whether it
   * leads and moves there. Writes sent to a follower work too (it forwards them), but cost a hop
   * and wait for the follower to learn the commit; reads on a follower wait for a ReadIndex round
   * trip to the leader. Stops when this client is closed.
   */
  public void discoverLeader(Function<KvStore, CompletableFuture<Boolean>> isLeader, java.time.Duration every) {
    Runnable probe = () -> {
      if (closed) return;
      for (int i = 0; i < endpoints.size(); i++) {
        int idx = i;
        try {
          isLeader.apply(endpoints.get(i)).whenComplete((leads, t) -> {
            if (t == null && Boolean.TRUE.equals(leads) && !closed) current.set(idx);
          });
        } catch (RuntimeException e) {
          // that endpoint cannot be asked now; the next round will tell
        }
      }
    };
    discovery = RETRY.scheduleWithFixedDelay(probe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static StoreException storeError(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t instanceof StoreException s ? s : null;
  }

  private <T> CompletableFuture<T> call(Function<KvStore, CompletableFuture<T>> op, boolean idempotent) {
    if (closed) return CompletableFuture.failedFuture(new StoreException(Code.UNAVAILABLE, "client closed"));
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(op, idempotent, result, System.currentTimeMillis() + retryForMillis, 0);
    return result;
  }

  private <T> void attempt(Function<KvStore, CompletableFuture<T>> op, boolean idempotent, CompletableFuture<T> result,
                           long deadline, int tries) {
    int idx = current.get();
    CompletableFuture<T> f;
    try {
      f = op.apply(endpoints.get(idx));
    } catch (StoreException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((v, t) -> {
      if (t == null) {
        result.complete(v);
        return;
      }
      StoreException e = storeError(t);
      boolean retry = e != null && !closed && System.currentTimeMillis() < deadline
          && (e.code() == Code.UNAVAILABLE || e.code() == Code.NO_LEADER || (idempotent && e.code() == Code.TIMEOUT));
      if (!retry) {
        result.completeExceptionally(e != null ? e : t);
        return;
      }
      if (e.code() != Code.NO_LEADER) current.compareAndSet(idx, (idx + 1) % endpoints.size());
      // After a full round over the endpoints, wait a little (an election takes about a second).
      long delay = (tries + 1) % endpoints.size() == 0 ? 100 : 0;
      RETRY.schedule(() -> attempt(op, idempotent, result, deadline, tries + 1), delay, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    return call(e -> e.range(r), true);
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest r) {
    return call(e -> e.put(r), false);
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest r) {
    return call(e -> e.delete(r), false);
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest t) {
    boolean readOnly = t.success().stream().allMatch(o -> o instanceof RangeRequest)
        && t.failure().stream().allMatch(o -> o instanceof RangeRequest);
    return call(e -> e.txn(t), readOnly);
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return call(e -> e.compact(revision), false);
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    return call(e -> e.leaseGrant(ttlSeconds), false);
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    return call(e -> e.leaseRevoke(leaseId), false);
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    return call(e -> e.leaseKeepAlive(leaseId), true); // renewing twice is harmless
  }

  @Override
  public CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys) {
    return call(e -> e.leaseTimeToLive(leaseId, keys), true);
  }

  @Override
  public CompletableFuture<List<Long>> leases() {
    return call(KvStore::leases, true);
  }

  @Override
  public WatchHandle watch(WatchRequest request, WatchListener listener) {
    if (closed) throw new StoreException(Code.UNAVAILABLE, "client closed");
    ResumingWatch w = new ResumingWatch(request, listener);
    w.open(request.startRevision());
    return w;
  }

  /** A watch that reopens itself on another endpoint, continuing after the last revision it delivered. */
  private final class ResumingWatch implements WatchHandle, WatchListener {
    final WatchRequest request;
    final WatchListener listener;
    volatile long next; // the first revision not yet delivered (0: not known yet)
    volatile WatchHandle inner;
    volatile boolean done;
    /** A progress request made while no inner watch was open (yet): sent once one is. Guarded by this. */
    private boolean progressWanted;

    ResumingWatch(WatchRequest request, WatchListener listener) {
      this.request = request;
      this.listener = listener;
    }

    void open(long from) {
      if (done || closed) return;
      if (from <= 0) {
        // "From now": pin "now" to a revision first, so a reopened watch knows where to resume.
        range(RangeRequest.key(request.key()).withCountOnly(true).withSerializable(true)).whenComplete((r, t) -> {
          if (t != null) fail(t);
          else open(r.revision() + 1);
        });
        return;
      }
      next = from;
      int idx = current.get();
      try {
        WatchHandle h = endpoints.get(idx).watch(new WatchRequest(request.key(), request.rangeEnd(), from, request.prevKv(),
            request.progressNotify()), this);
        boolean progress;
        synchronized (this) {
          inner = h;
          progress = progressWanted;
          progressWanted = false;
        }
        if (done) h.close();
        else if (progress) h.requestProgress();
      } catch (StoreException e) {
        reopenAfter(idx, e);
      }
    }

    private void reopenAfter(int idx, Throwable t) {
      StoreException e = storeError(t);
      if (done || closed) return;
      if (e == null || (e.code() != Code.UNAVAILABLE && e.code() != Code.TIMEOUT)) {
        fail(t);
        return;
      }
      synchronized (this) {
        inner = null; // that one is gone: progress requests wait for the next
      }
      current.compareAndSet(idx, (idx + 1) % endpoints.size());
      RETRY.schedule(() -> open(next), 100, TimeUnit.MILLISECONDS);
    }

    private void fail(Throwable t) {
      if (done) return;
      done = true;
      listener.onError(t);
    }

    @Override
    public void onEvents(long revision, List<WatchEvent> events) {
      if (done) return;
      if (!events.isEmpty()) next = events.get(events.size() - 1).kv().modRevision() + 1;
      listener.onEvents(revision, events);
    }

    @Override
    public void onProgress(long revision) {
      if (done) return;
      next = Math.max(next, revision + 1);
      listener.onProgress(revision);
    }

    @Override
    public void onCompacted(long compactRevision) {
      if (done) return;
      done = true;
      listener.onCompacted(compactRevision);
    }

    @Override
    public void onError(Throwable cause) {
      reopenAfter(current.get(), cause);
    }

    @Override
    public void requestProgress() {
      // A watch "from now" opens its inner watch only after pinning "now" to a revision, and a
      // reopened one after a retry delay: a request made meanwhile waits for it, or it would be
      // lost and the caller would wait for a notification that never comes.
      WatchHandle h;
      synchronized (this) {
        h = inner;
        if (h == null) progressWanted = true;
      }
      if (h != null) h.requestProgress();
    }

    @Override
    public void close() {
      done = true;
      WatchHandle h = inner;
      if (h != null) h.close();
    }
  }

  /** Closes the endpoints too. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    var d = discovery;
    if (d != null) d.cancel(false);
    for (KvStore e : endpoints) e.close();
    onClose.run();
  }
}
