package kubelab.store.mvcc;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: "one thread per watch, in
 * order" without a thread per watch. A task that throws is reported on stderr and the next one
 * still runs (a listener bug must not stall every later event).
 */
public final class SerialExecutor implements Executor {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The shared pool behind watch listeners and future completions: daemon threads, grown on demand. */
  public static final ExecutorService SHARED = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kubelab-store-callback-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private final Executor pool;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  public SerialExecutor() {
    this(SHARED);
  }

  public SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queue) {
      queue.add(task);
      if (running) return;
      running = true;
    }
    pool.execute(this::drain);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable t) {
        System.err.println("kubelab store: a watch listener threw " + t);
      }
    }
  }
}
