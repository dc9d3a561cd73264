package kubelab.shell.client;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.meta.KubeObject;
import kubelab.client.informer.ListerWatcher;
import kubelab.client.informer.ResourceEventHandler;
import kubelab.client.informer.SharedIndexInformer;
import kubelab.client.workqueue.QueueMetrics;
import kubelab.client.workqueue.RateLimitingQueue;

/**
 * The informer pattern with its inner workings printed: a shared informer (reflector → DeltaFIFO
 * → cache → handler) feeding a rate-limited work queue drained by one worker, as every controller
 * is built. Each watch event is printed with the cache size and queue depth at that moment; each
 * reconcile with how long the key waited; a relist (after 410 Gone) is called out, and a summary
 * follows at the end.
 *
 * <p>Runs on the calling thread for {@code duration} (or until interrupted), then stops every
 * thread it started. Separate from the command so tests can drive it with an in-memory
 * ListerWatcher.
 */
final class InformerDemo {
  private InformerDemo() {}

  /** How many objects of the initial list are printed one by one before the rest is summarised. */
  static final int INITIAL_SHOWN = 10;

  static <T extends KubeObject> void run(String what, ListerWatcher<T> lw, PrintWriter out, Duration duration,
      Duration resync, Clock clock) throws InterruptedException {
    SharedIndexInformer<T> informer = SharedIndexInformer.builder(what, lw).clock(clock).resync(resync).build();
    RateLimitingQueue<String> queue = RateLimitingQueue.withDefaults(what, clock);
    AtomicInteger initialShown = new AtomicInteger();
    java.util.Set<String> quietKeys = java.util.concurrent.ConcurrentHashMap.newKeySet(); // initial-list keys not printed
    Object printLock = new Object();

    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(T obj, boolean initial) {
        if (initial && initialShown.incrementAndGet() > INITIAL_SHOWN) {
          quietKeys.add(obj.key());
          queue.add(obj.key());
          return;
        }
        line("ADDED", obj, initial ? "(initial list)" : "");
      }

      @Override public void onUpdate(T oldObj, T newObj) {
        boolean resyncOnly = java.util.Objects.equals(oldObj.metadata.resourceVersion, newObj.metadata.resourceVersion);
        line(resyncOnly ? "RESYNC" : "MODIFIED", newObj, "");
      }

      @Override public void onDelete(T obj, boolean unknown) {
        line("DELETED", obj, unknown ? "(seen missing on relist)" : "");
      }

      /** Enqueues the key and prints the event, atomically with respect to the worker's output. */
      private void line(String type, T obj, String note) {
        synchronized (printLock) {
          queue.add(obj.key());
          out.printf("  %-9s %-40s rv=%-8s cache=%-4d queue=%d %s%n", type, obj.key(),
              obj.metadata.resourceVersion, informer.indexer().size(), queue.len(), note);
          out.flush();
        }
      }
    });

    Thread worker = new Thread(() -> {
      try {
        String key;
        while ((key = queue.get()) != null) {
          boolean exists = informer.indexer().get(key) != null;
          if (!quietKeys.remove(key)) {
            synchronized (printLock) {
              out.printf("  reconcile %-40s %s%n", key, exists ? "(in cache)" : "(gone from cache)");
              out.flush();
            }
          }
          queue.forget(key);
          queue.done(key);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, what + "-worker");
    worker.setDaemon(true);

    out.printf("informer %s: list, then watch (reflector → DeltaFIFO → cache → handler → work queue → worker)%n", what);
    out.flush();
    informer.start();
    worker.start();
    long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    try {
      boolean synced = false;
      long lists = 0;
      while (System.nanoTime() < deadline) {
        if (!synced && informer.hasSynced()) {
          synced = true;
          synchronized (printLock) {
            int n = informer.indexer().size();
            if (n > INITIAL_SHOWN) out.printf("  ... and %d more in the initial list%n", n - INITIAL_SHOWN);
            out.printf("synced: %d objects in the cache at resourceVersion %s; watching%n", n,
                informer.lastSyncResourceVersion());
            out.flush();
          }
        }
        long l = informer.reflector().listCount();
        if (l > lists) {
          if (lists > 0) {
            synchronized (printLock) {
              out.printf("relist #%d: the watch could not resume (410 Gone: %d so far, too old resourceVersion);"
                  + " listed again: objects missing from the new list are reported deleted%n", l - 1,
                  informer.reflector().expiredCount());
              out.flush();
            }
          }
          lists = l;
        }
        Thread.sleep(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
      }
    } finally {
      informer.stop();
      queue.shutDown();
      worker.join(5000);
      QueueMetrics m = queue.metrics();
      out.printf("summary: cache=%d lists=%d watches=%d events=%d relists-after-410=%d broken-streams=%d"
              + " queue: adds=%d depth=%d max-wait=%dms%n",
          informer.indexer().size(), informer.reflector().listCount(), informer.reflector().watchCount(),
          informer.reflector().eventCount(), informer.reflector().expiredCount(),
          informer.reflector().brokenStreamCount(), m.adds(), m.depth(), m.maxQueueLatency().toMillis());
      out.flush();
    }
  }
}
