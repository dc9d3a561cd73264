package kubelab.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kubelab.client.Params;

/**
 * A work queue of keys with client-go's semantics (k8s.io/client-go/util/workqueue v0.32), the
 * thing a controller's workers pull from.
 *
 * <p>Three sets make the rules:
 * <ul>
 *   <li>{@code queue}: keys in FIFO order, waiting for a worker;
 *   <li>{@code dirty}: keys that need processing (queued, or re-added while being processed);
 *   <li>{@code processing}: keys a worker holds between {@link #get()} and {@link #done}.
 * </ul>
 * Adding a key that is already dirty does nothing (dedup: ten updates of one pod make one
 * reconcile). A key being processed is never handed to a second worker: adding it marks it dirty,
 * and {@link #done} puts it back in the queue. So one key is reconciled by one worker at a time,
 * and a change that arrives during a reconcile is not lost.
 *
 * <p>Delayed adds ({@link #addAfter}) wait in a heap ordered by their ready time on the injected
 * {@link Clock}. Instead of a waiting thread, every {@code get}, {@code len} and {@code add} moves
 * the due ones into the queue, and a blocked {@code get} sleeps until the next one is due. With a
 * fake clock, advance it and call {@link #len()} (from any thread) to release what became due.
 *
 * <p>Thread-safe; {@link #get()} blocks. Keys must have value semantics (equals/hashCode), and the
 * queue holds them, not copies: use immutable keys such as {@code "namespace/name"} strings.
 */
public class WorkQueue<T> {
  private final String name;
  protected final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final PriorityQueue<Waiting<T>> waiting = new PriorityQueue<>();
  private final Map<T, Waiting<T>> waitingByKey = new HashMap<>();
  private final Map<T, Instant> addedAt = new HashMap<>();
  private final Map<T, Instant> startedAt = new HashMap<>();
  private boolean shuttingDown;
  private long sequence;
  // metrics
  private long adds;
  private long retries;
  private long latencyCount;
  private long latencyNanosSum;
  private long latencyNanosMax;
  private long workCount;
  private long workNanosSum;

  private record Waiting<T>(T item, Instant readyAt, long seq) implements Comparable<Waiting<T>> {
    @Override public int compareTo(Waiting<T> o) {
      int c = readyAt.compareTo(o.readyAt);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  public WorkQueue(String name, Clock clock) {
    this.name = name;
    this.clock = clock;
  }

  public WorkQueue(String name) {
    this(name, Clock.systemUTC());
  }

  public String name() {
    return name;
  }

  /** Marks {@code item} as needing processing. No effect after {@link #shutDown()}. Never blocks. */
  public void add(T item) {
    lock.lock();
    try {
      promoteDue();
      addLocked(item);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(T item) {
    if (shuttingDown) return;
    adds++;
    if (!dirty.add(item)) return;          // already queued or re-added during processing: dedup
    addedAt.putIfAbsent(item, clock.instant());
    if (processing.contains(item)) return; // done() will queue it
    queue.addLast(item);
    changed.signal();
  }

  /**
   * Adds {@code item} once {@code delay} has passed on the clock. If the item is already waiting,
   * the earlier of the two ready times wins. A non-positive delay adds at once. Never blocks.
   */
  public void addAfter(T item, Duration delay) {
    lock.lock();
    try {
      if (shuttingDown) return;
      if (delay.isNegative() || delay.isZero()) {
        promoteDue();
        addLocked(item);
        return;
      }
      Instant readyAt = clock.instant().plus(delay);
      Waiting<T> existing = waitingByKey.get(item);
      if (existing != null) {
        if (!readyAt.isBefore(existing.readyAt)) return;
        waiting.remove(existing);
      }
      Waiting<T> w = new Waiting<>(item, readyAt, sequence++);
      waiting.add(w);
      waitingByKey.put(item, w);
      changed.signalAll(); // a blocked get() may need to wake earlier
    } finally {
      lock.unlock();
    }
  }

  /** Counts a retry for the metrics (the rate-limited subclass calls this). */
  protected void countRetry() {
    lock.lock();
    try {
      retries++;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until a key is available and hands it to the caller, who must call {@link #done} with
   * it when finished. Returns {@code null} once the queue is shut down and empty: the worker's
   * signal to exit.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public T get() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        promoteDue();
        if (!queue.isEmpty()) break;
        if (shuttingDown) return null;
        Waiting<T> next = waiting.peek();
        if (next == null) {
          changed.await();
        } else {
          long nanos = Duration.between(clock.instant(), next.readyAt).toNanos();
          nanos = Math.max(1_000_000L, Math.min(nanos, Params.QUEUE_MAX_WAIT.toNanos()));
          changed.await(nanos, TimeUnit.NANOSECONDS);
        }
      }
      T item = queue.pollFirst();
      processing.add(item);
      dirty.remove(item);
      Instant now = clock.instant();
      Instant added = addedAt.remove(item);
      if (added != null) {
        long l = Math.max(0, Duration.between(added, now).toNanos());
        latencyCount++;
        latencyNanosSum += l;
        latencyNanosMax = Math.max(latencyNanosMax, l);
      }
      startedAt.put(item, now);
      return item;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Tells the queue that processing of {@code item} is finished. If it was added again meanwhile,
   * it goes back into the queue now. Calling it for an item not being processed does nothing.
   */
  public void done(T item) {
    lock.lock();
    try {
      if (!processing.remove(item)) return;
      Instant started = startedAt.remove(item);
      if (started != null) {
        workCount++;
        workNanosSum += Math.max(0, Duration.between(started, clock.instant()).toNanos());
      }
      if (dirty.contains(item)) {
        queue.addLast(item);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Keys waiting for a worker (client-go's Len: neither processing nor delayed ones). */
  public int len() {
    lock.lock();
    try {
      promoteDue();
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting keys; blocked and future {@code get} calls drain what is queued and then return
   * {@code null}. Delayed keys that are not due are dropped. Never blocks.
   */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      waiting.clear();
      waitingByKey.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #shutDown()}, then blocks until every key handed out has been {@link #done}: a
   * graceful stop that lets in-flight reconciles finish.
   */
  public void shutDownWithDrain() throws InterruptedException {
    lock.lock();
    try {
      shutDown();
      while (!processing.isEmpty()) changed.await();
    } finally {
      lock.unlock();
    }
  }

  public boolean shuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  /** A consistent snapshot of the queue's metrics (client-go's workqueue metrics). */
  public QueueMetrics metrics() {
    lock.lock();
    try {
      promoteDue();
      Duration longest = Duration.ZERO;
      Instant now = clock.instant();
      for (Instant s : startedAt.values()) {
        Duration d = Duration.between(s, now);
        if (d.compareTo(longest) > 0) longest = d;
      }
      return new QueueMetrics(name, queue.size(), waiting.size(), processing.size(), adds, retries,
          latencyCount == 0 ? Duration.ZERO : Duration.ofNanos(latencyNanosSum / latencyCount),
          Duration.ofNanos(latencyNanosMax),
          workCount == 0 ? Duration.ZERO : Duration.ofNanos(workNanosSum / workCount), longest);
    } finally {
      lock.unlock();
    }
  }

  /** Moves delayed items whose time has come into the queue. Called with the lock held. */
  private void promoteDue() {
    if (waiting.isEmpty()) return;
    Instant now = clock.instant();
    while (!waiting.isEmpty() && !waiting.peek().readyAt.isAfter(now)) {
      Waiting<T> w = waiting.poll();
      waitingByKey.remove(w.item);
      addLocked(w.item);
    }
  }
}
