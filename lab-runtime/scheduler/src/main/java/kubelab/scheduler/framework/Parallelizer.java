package kubelab.scheduler.framework;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * Runs one loop over node indices on a fixed set of threads, the caller included (Kubernetes'
 * parallelize.Until with 16 goroutines; the seeds: "16个Goroutine").
 *
 * <p>Design: {@code parallelism - 1} daemon workers wait for a job; {@link #until} publishes one,
 * wakes them and works on it too. Indices are claimed one at a time from an atomic counter, so
 * the loop can stop early (Filter stops once enough feasible nodes are found) and slow items do
 * not stall a fixed chunk. A worker that wakes after the job is finished does not join it, so the
 * caller never waits for a thread that had nothing to do. Workers spin briefly before parking, as
 * the next pod's job usually follows within microseconds.
 *
 * <p>Threading: {@link #until} must be called by one thread at a time (the scheduling thread);
 * the body runs concurrently on all threads and must be thread-safe. Exceptions from the body
 * stop the job and are rethrown to the caller.
 */
public final class Parallelizer implements AutoCloseable {
  private static final int CLOSED = 1 << 30;
  private static final int SPIN_ITERATIONS = 4_000;

  private final int parallelism;
  private final Thread[] workers;
  private volatile Job job;
  private volatile boolean shutdown;

  private static final class Job {
    final int n;
    final IntPredicate body;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger processed = new AtomicInteger();
    /** Number of workers inside the job, plus CLOSED once the caller stopped accepting joins. */
    final AtomicInteger active = new AtomicInteger();
    volatile boolean stopped;
    volatile Throwable error;

    Job(int n, IntPredicate body, Thread caller) {
      this.n = n;
      this.body = body;
      this.caller = caller;
    }

    void run() {
      while (!stopped) {
        int i = next.getAndIncrement();
        if (i >= n) return;
        processed.incrementAndGet();
        try {
          if (!body.test(i)) stopped = true;
        } catch (Throwable t) {
          if (error == null) error = t;
          stopped = true;
        }
      }
    }
  }

  /** @param parallelism threads working on each loop, the caller included (at least 1) */
  public Parallelizer(int parallelism) {
    this.parallelism = Math.max(1, parallelism);
    this.workers = new Thread[this.parallelism - 1];
    for (int w = 0; w < workers.length; w++) {
      Thread t = new Thread(this::workerLoop, "kubelab-scheduler-parallel-" + w);
      t.setDaemon(true);
      workers[w] = t;
      t.start();
    }
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Calls {@code body.test(i)} for indices 0..n-1 in parallel until all are done or one returns
   * false (then the others finish the index they hold and stop).
   *
   * @return how many indices were processed (Kubernetes uses this to advance the next start node)
   */
  public int until(int n, IntPredicate body) {
    if (n <= 0) return 0;
    if (workers.length == 0 || n == 1) {
      int done = 0;
      for (int i = 0; i < n; i++) {
        done++;
        if (!body.test(i)) break;
      }
      return done;
    }
    Job j = new Job(n, body, Thread.currentThread());
    job = j;
    for (Thread t : workers) LockSupport.unpark(t);
    j.run();
    // No new joins from here on; wait for the workers already inside.
    int a = j.active.getAndAdd(CLOSED);
    int spins = 0;
    while ((a & ~CLOSED) != 0) {
      if (++spins < SPIN_ITERATIONS) Thread.onSpinWait();
      else LockSupport.parkNanos(this, 50_000);
      a = j.active.get();
    }
    job = null;
    if (j.error instanceof RuntimeException re) throw re;
    if (j.error instanceof Error e) throw e;
    if (j.error != null) throw new IllegalStateException(j.error);
    return Math.min(j.processed.get(), n);
  }

  private void workerLoop() {
    Job last = null;
    int idle = 0;
    while (!shutdown) {
      Job j = job;
      if (j != null && j != last) {
        last = j;
        idle = 0;
        if (join(j)) {
          j.run();
          int left = j.active.decrementAndGet();
          if (left == CLOSED) LockSupport.unpark(j.caller);
        }
        continue;
      }
      if (++idle < SPIN_ITERATIONS) Thread.onSpinWait();
      else LockSupport.park(this);
    }
  }

  private static boolean join(Job j) {
    while (true) {
      int a = j.active.get();
      if ((a & CLOSED) != 0) return false;
      if (j.active.compareAndSet(a, a + 1)) return true;
    }
  }

  @Override
  public void close() {
    shutdown = true;
    for (Thread t : workers) LockSupport.unpark(t);
  }
}
