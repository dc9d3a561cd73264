package kubelab.client.informer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import kubelab.api.meta.KubeObject;

/**
 * One registered handler of a {@link SharedIndexInformer}: an unbounded buffer of notifications
 * and the thread that delivers them (client-go's processorListener with its ring buffer), plus the
 * handler's resync schedule and its "initial list delivered" state.
 *
 * <p>The informer thread calls {@link #add} (never blocks); the listener's own thread runs the
 * handler. Package-private: users see it as a {@link SharedIndexInformer.Registration}.
 */
final class ProcessorListener<T extends KubeObject> implements SharedIndexInformer.Registration {
  private static final System.Logger LOG = System.getLogger(ProcessorListener.class.getName());

  sealed interface Notification<T> permits Add, Update, Delete {}
  record Add<T>(T obj, boolean initial) implements Notification<T> {}
  record Update<T>(T oldObj, T newObj) implements Notification<T> {}
  record Delete<T>(T obj, boolean unknown) implements Notification<T> {}

  private final String name;
  private final ResourceEventHandler<T> handler;
  private final Duration resyncPeriod;
  private final Clock clock;
  private final java.util.function.BooleanSupplier sourceSynced;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<Notification<T>> pending = new ArrayDeque<>();
  private long enqueued;
  private long delivered;
  /** enqueued count at the moment the initial list was fully handed to this listener; -1 before. */
  private long syncMark = -1;
  private boolean stopped;
  private Instant nextResync;
  private Thread thread;
  private long handlerErrors;

  /**
   * @param sourceSynced whether the informer has processed its initial list; once it has, every
   *     notification of that list has been {@link #add}ed to this listener
   */
  ProcessorListener(String name, ResourceEventHandler<T> handler, Duration resyncPeriod, Clock clock,
      java.util.function.BooleanSupplier sourceSynced) {
    this.name = name;
    this.sourceSynced = sourceSynced;
    this.handler = handler;
    this.resyncPeriod = resyncPeriod;
    this.clock = clock;
    this.nextResync = resyncPeriod.isZero() ? null : clock.instant().plus(resyncPeriod);
  }

  void start() {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  void add(Notification<T> n) {
    lock.lock();
    try {
      if (stopped) return;
      pending.addLast(n);
      enqueued++;
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Called once everything of the initial list (or the replay of the cache) has been {@link #add}ed. */
  void markInitialListQueued() {
    lock.lock();
    try {
      if (syncMark < 0) syncMark = enqueued;
    } finally {
      lock.unlock();
    }
  }

  void stop() {
    lock.lock();
    try {
      stopped = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void join(long millis) throws InterruptedException {
    if (thread != null) thread.join(millis);
  }

  /** Whether this listener's resync is due at {@code now}; if so, schedules the next one. */
  boolean shouldResync(Instant now) {
    if (nextResync == null) return false;
    if (now.isBefore(nextResync)) return false;
    nextResync = now.plus(resyncPeriod);
    return true;
  }

  Duration resyncPeriod() {
    return resyncPeriod;
  }

  private void run() {
    while (true) {
      Notification<T> n;
      lock.lock();
      try {
        while (pending.isEmpty() && !stopped) ready.awaitUninterruptibly();
        if (stopped) return;
        n = pending.pollFirst();
      } finally {
        lock.unlock();
      }
      try {
        if (n instanceof Add<T> a) handler.onAdd(a.obj(), a.initial());
        else if (n instanceof Update<T> u) handler.onUpdate(u.oldObj(), u.newObj());
        else if (n instanceof Delete<T> d) handler.onDelete(d.obj(), d.unknown());
      } catch (RuntimeException e) {
        lock.lock();
        try {
          handlerErrors++;
        } finally {
          lock.unlock();
        }
        LOG.log(Level.ERROR, name + ": event handler threw", e);
      } finally {
        lock.lock();
        try {
          delivered++;
          ready.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  @Override public boolean hasSynced() {
    // Ask the source first, outside our lock: the informer holds its queue's lock while adding to us.
    boolean source = sourceSynced.getAsBoolean();
    lock.lock();
    try {
      if (syncMark < 0 && source) syncMark = enqueued;
      return syncMark >= 0 && delivered >= syncMark;
    } finally {
      lock.unlock();
    }
  }

  @Override public int pending() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  @Override public long handlerErrors() {
    lock.lock();
    try {
      return handlerErrors;
    } finally {
      lock.unlock();
    }
  }
}
