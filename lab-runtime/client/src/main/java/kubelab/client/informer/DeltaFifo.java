package kubelab.client.informer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kubelab.api.meta.KubeObject;

/**
 * The queue between the reflector and the cache (client-go's DeltaFIFO): per object key, the list
 * of changes not yet processed, and the keys in the order they first changed.
 *
 * <p>Why deltas and not just "the latest object": a handler must see a delete even if the object
 * was re-created before the informer got to it, and a slow consumer must not make the producer
 * block or drop changes. Keys are queued once; more changes to a queued key append to its list,
 * so the consumer handles a burst for one object in one go, in order.
 *
 * <p>Relists: {@link #replace} queues a {@code REPLACED} delta per listed object and a
 * {@code DELETED} delta (final state unknown) for every object the cache ("known objects") holds
 * that the list no longer contains: deletions that happened while the watch was down.
 * {@link #resync} queues a {@code SYNC} delta for every cached object that has nothing queued.
 *
 * <p>{@link #hasSynced()} turns true once the first {@code replace} has been called and every item
 * it queued has been popped and processed.
 *
 * <p>Thread-safe: the reflector thread produces, one informer thread {@link #pop}s. The process
 * function runs with the queue's lock held (so {@code hasSynced} never sees a half-processed item);
 * it must be quick and must not call back into this queue.
 */
public final class DeltaFifo<T extends KubeObject> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Map<String, List<Delta<T>>> items = new HashMap<>();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Indexer<T> known;
  private boolean populated;
  private int initialPopulationCount;
  private boolean closed;

  /** @param known the cache the consumer fills: used to find deletions on relist and objects to resync */
  public DeltaFifo(Indexer<T> known) {
    this.known = known;
  }

  /** A watch ADDED event. */
  public void add(T obj) {
    enqueue(Delta.Type.ADDED, obj, false);
  }

  /** A watch MODIFIED event. */
  public void update(T obj) {
    enqueue(Delta.Type.UPDATED, obj, false);
  }

  /**
   * A watch DELETED event. Ignored if the object is neither cached nor queued: then nobody has
   * seen it, and nobody needs to hear it is gone.
   */
  public void delete(T obj) {
    lock.lock();
    try {
      String key = Indexer.keyOf(obj);
      if (!items.containsKey(key) && known.get(key) == null) return;
      enqueueLocked(Delta.Type.DELETED, obj, false);
    } finally {
      lock.unlock();
    }
  }

  /** A complete list of the objects as of one resourceVersion (initial list or relist). */
  public void replace(Collection<T> list) {
    lock.lock();
    try {
      Set<String> listed = new HashSet<>();
      for (T o : list) {
        listed.add(Indexer.keyOf(o));
        enqueueLocked(Delta.Type.REPLACED, o, false);
      }
      int deletions = 0;
      for (String key : known.listKeys()) {
        if (listed.contains(key)) continue;
        // Deleted while we were not watching. Prefer the newest queued state if there is one.
        T last = known.get(key);
        List<Delta<T>> queued = items.get(key);
        if (queued != null && !queued.isEmpty()) last = queued.get(queued.size() - 1).object();
        if (last == null) continue;
        deletions++;
        enqueueLocked(Delta.Type.DELETED, last, true);
      }
      // Queued but never cached (e.g. an ADDED still in the queue) and now absent: also deleted.
      for (String key : new ArrayList<>(queue)) {
        if (listed.contains(key) || known.get(key) != null) continue;
        List<Delta<T>> queued = items.get(key);
        Delta<T> lastDelta = queued.get(queued.size() - 1);
        if (lastDelta.type() == Delta.Type.DELETED) continue;
        deletions++;
        enqueueLocked(Delta.Type.DELETED, lastDelta.object(), true);
      }
      if (!populated) {
        populated = true;
        initialPopulationCount = list.size() + deletions;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Queues a SYNC delta for every cached object with nothing queued. */
  public void resync() {
    lock.lock();
    try {
      for (String key : known.listKeys()) {
        if (items.containsKey(key)) continue; // a newer change is already on its way
        T obj = known.get(key);
        if (obj != null) enqueueLocked(Delta.Type.SYNC, obj, false);
      }
    } finally {
      lock.unlock();
    }
  }

  private void enqueue(Delta.Type type, T obj, boolean unknown) {
    lock.lock();
    try {
      enqueueLocked(type, obj, unknown);
    } finally {
      lock.unlock();
    }
  }

  private void enqueueLocked(Delta.Type type, T obj, boolean unknown) {
    if (closed) return;
    String key = Indexer.keyOf(obj);
    List<Delta<T>> deltas = items.get(key);
    boolean isNew = deltas == null;
    if (isNew) {
      deltas = new ArrayList<>(2);
      items.put(key, deltas);
    }
    deltas.add(new Delta<>(type, obj, unknown));
    dedupDeletes(deltas);
    if (isNew) {
      queue.addLast(key);
      notEmpty.signal();
    }
  }

  /** Two deletions in a row say the same thing: keep the one that knows the final state. */
  private static <T> void dedupDeletes(List<Delta<T>> deltas) {
    int n = deltas.size();
    if (n < 2) return;
    Delta<T> a = deltas.get(n - 2), b = deltas.get(n - 1);
    if (a.type() == Delta.Type.DELETED && b.type() == Delta.Type.DELETED) {
      deltas.remove(b.finalStateUnknown() ? n - 1 : n - 2);
    }
  }

  /**
   * Waits up to {@code timeout} for a key, removes it with its deltas and passes them, oldest
   * first, to {@code process}, with the lock held. Returns false if nothing came in time or the
   * queue is closed. Only one thread may pop.
   */
  public boolean pop(Processor<T> process, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (queue.isEmpty()) {
        if (closed || nanos <= 0) return false;
        nanos = notEmpty.awaitNanos(nanos);
      }
      String key = queue.pollFirst();
      List<Delta<T>> deltas = items.remove(key);
      boolean initial = !(populated && initialPopulationCount == 0);
      try {
        process.process(deltas, initial);
      } finally {
        if (initialPopulationCount > 0) initialPopulationCount--;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** True once the first list has been fully processed. */
  public boolean hasSynced() {
    lock.lock();
    try {
      return populated && initialPopulationCount == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Keys waiting to be popped. */
  public int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** The deltas queued for {@code key} (a copy), for tests and debugging. */
  public List<Delta<T>> deltas(String key) {
    lock.lock();
    try {
      List<Delta<T>> d = items.get(key);
      return d == null ? List.of() : List.copyOf(d);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code r} with the queue's lock held: no deltas are processed meanwhile. The informer uses
   * it to replay its cache to a late handler atomically. The lock is reentrant.
   */
  void locked(Runnable r) {
    lock.lock();
    try {
      r.run();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the queue: pending pops return false; later adds are dropped. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Consumes the deltas of one key. */
  @FunctionalInterface
  public interface Processor<T> {
    /**
     * @param isInInitialList true while the first list is still being processed
     */
    void process(List<Delta<T>> deltas, boolean isInInitialList);
  }
}
