package kubelab.apiserver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import kubelab.api.registry.ResourceType;
import kubelab.store.KvStore;

/**
 * An in-memory copy of one resource type, kept current by a store watch: the informer pattern
 * inside the API server, as kube-apiserver's admission plugins read namespaces, LimitRanges,
 * ServiceAccounts and PriorityClasses from informers instead of asking etcd on every request.
 *
 * <p>Read-your-writes: every write of this type goes through {@link ObjectStore}, which records
 * the revision; a read first waits (briefly) until the cache has seen that revision, so an object
 * created by one request is visible to the admission of the next. If the watch lags for longer,
 * the caller is told to read the store instead ({@link #caughtUp} false).
 *
 * <p>Objects handed out are shared: callers must not modify them. Thread-safe.
 */
public final class ObjectCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ObjectCache.class.getName());
  static final long CATCH_UP_MILLIS = 2000;

  private final KvStore kv;
  private final ResourceType type;
  private final String prefix;
  private volatile ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
  private final Object lock = new Object();
  private long revision; // guarded by lock: every change up to here is reflected
  private KvStore.WatchHandle watch;
  private volatile boolean closed;

  ObjectCache(KvStore kv, ResourceType type) {
    this.kv = kv;
    this.type = type;
    this.prefix = type.prefix(null);
    sync();
  }

  private void sync() {
    if (closed) return;
    var r = ObjectStore.await(kv.range(KvStore.RangeRequest.prefix(prefix)));
    ConcurrentSkipListMap<String, Stored> fresh = new ConcurrentSkipListMap<>();
    for (var k : r.kvs()) fresh.put(k.key(), ObjectStore.decode(k));
    objects = fresh;
    advance(r.revision());
    watch = kv.watch(new KvStore.WatchRequest(prefix, KvStore.prefixEnd(prefix), r.revision() + 1, false, true),
        new KvStore.WatchListener() {
          @Override
          public void onEvents(long rev, List<KvStore.WatchEvent> events) {
            for (var e : events) {
              if (e.type() == KvStore.WatchEvent.Type.PUT) objects.put(e.kv().key(), ObjectStore.decode(e.kv()));
              else objects.remove(e.kv().key());
            }
            advance(rev);
          }

          @Override
          public void onProgress(long rev) {
            advance(rev);
          }

          @Override
          public void onCompacted(long compactRevision) {
            resync();
          }

          @Override
          public void onError(Throwable cause) {
            if (!closed) LOG.log(Level.FINE, type.plural() + " cache watch ended: " + cause);
            resync();
          }
        });
  }

  private void resync() {
    if (closed) return;
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(200);
        sync();
      } catch (Exception e) {
        if (!closed) {
          LOG.log(Level.WARNING, type.plural() + " cache resync failed: " + e);
          resync();
        }
      }
    }, "cache-resync-" + type.plural());
    t.setDaemon(true);
    t.start();
  }

  private void advance(long rev) {
    synchronized (lock) {
      if (rev > revision) {
        revision = rev;
        lock.notifyAll();
      }
    }
  }

  /** Waits until the cache reflects revision {@code rev}; false if it did not within a bound. */
  boolean caughtUp(long rev) {
    synchronized (lock) {
      if (revision >= rev) return true;
      long deadline = System.nanoTime() + CATCH_UP_MILLIS * 1_000_000;
      while (revision < rev && !closed) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) return false;
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return revision >= rev;
    }
  }

  Optional<Stored> get(String namespace, String name) {
    return Optional.ofNullable(objects.get(type.key(namespace, name)));
  }

  List<Stored> list(String namespace) {
    String p = type.prefix(namespace);
    return new ArrayList<>(objects.subMap(p, KvStore.prefixEnd(p)).values());
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    if (watch != null) watch.close();
  }
}
