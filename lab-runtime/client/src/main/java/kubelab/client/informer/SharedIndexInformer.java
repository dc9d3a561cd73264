package kubelab.client.informer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import kubelab.api.meta.KubeObject;
import kubelab.client.Params;
import kubelab.client.flowcontrol.Backoff;
import kubelab.client.flowcontrol.Sleeper;

/**
 * A shared informer: one list-watch of one resource feeding one indexed cache and any number of
 * event handlers (client-go's sharedIndexInformer). The pipeline, each stage its own class:
 *
 * <pre>
 *  API server ──list/watch──▶ {@link Reflector} ──deltas──▶ {@link DeltaFifo} ──pop──▶ process
 *                                                                     │
 *                        {@link Indexer} (the cache) ◀──update────────┤
 *                        handler 1, handler 2, ...   ◀──notify────────┘ (each with its own thread)
 * </pre>
 *
 * <p>Threads: one runs the reflector; one pops deltas, updates the cache and hands notifications
 * to the handlers' buffers (that thread also checks, every {@code resyncCheckInterval} of wall
 * time, whether a resync is due by the injected {@link Clock}); one per handler delivers. The cache
 * is always updated before the handlers hear of the change.
 *
 * <p>Resync: a handler registered with a resync period receives, every period, an
 * {@code onUpdate(obj, obj)} for every cached object (a level-triggered nudge for controllers),
 * delivered to that handler only. Relists that find an object unchanged (same resourceVersion)
 * count as resyncs too, so a relist does not flood handlers with no-op updates.
 *
 * <p>{@link #hasSynced()}: the first list is in the cache. {@link Registration#hasSynced()}: that
 * handler has also been told about all of it. Components start work after both.
 *
 * <p>Ownership: cached objects, and the objects handed to handlers, are shared: <b>never mutate
 * them</b>. Thread-safe; {@link #start()} and {@link #stop()} may be called from any thread.
 */
public final class SharedIndexInformer<T extends KubeObject> {
  private static final System.Logger LOG = System.getLogger(SharedIndexInformer.class.getName());

  /** A handler's registration: its delivery state. */
  public interface Registration {
    /** The handler has been delivered every object of the informer's initial list (or of the cache, if added later). */
    boolean hasSynced();

    /** Notifications buffered for this handler, not yet delivered. */
    int pending();

    /** Exceptions the handler threw (logged and swallowed). */
    long handlerErrors();
  }

  private final String name;
  private final Clock clock;
  private final Duration defaultResync;
  private final Duration resyncCheckInterval;
  private final Indexer<T> indexer;
  private final DeltaFifo<T> fifo;
  private final Reflector<T> reflector;
  private final CopyOnWriteArrayList<ProcessorListener<T>> listeners = new CopyOnWriteArrayList<>();
  private Set<ProcessorListener<T>> syncing = Set.of();
  private boolean resyncInFlight;
  private volatile boolean started;
  private volatile boolean stopped;
  private Thread reflectorThread;
  private Thread processThread;

  private SharedIndexInformer(Builder<T> b) {
    this.name = b.name;
    this.clock = b.clock;
    this.defaultResync = b.resync;
    this.resyncCheckInterval = b.resyncCheckInterval;
    Map<String, IndexFunc<T>> idx = new LinkedHashMap<>();
    idx.put(IndexFunc.NAMESPACE, IndexFunc.byNamespace());
    idx.putAll(b.indexers);
    this.indexer = new Indexer<>(idx);
    this.fifo = new DeltaFifo<>(indexer);
    Backoff backoff = new Backoff(Params.REFLECTOR_BACKOFF_INITIAL, Params.REFLECTOR_BACKOFF_MAX,
        Params.REFLECTOR_BACKOFF_FACTOR, Params.REFLECTOR_BACKOFF_JITTER, Params.REFLECTOR_BACKOFF_RESET,
        b.clock, b.random);
    this.reflector = new Reflector<>(name, b.lw, fifo, backoff, b.sleeper, b.random, b.minWatchTimeout, b.pageSize);
  }

  public static <T extends KubeObject> Builder<T> builder(String name, ListerWatcher<T> lw) {
    return new Builder<>(name, lw);
  }

  /** Adds a handler with the informer's default resync period. */
  public Registration addEventHandler(ResourceEventHandler<T> handler) {
    return addEventHandler(handler, defaultResync);
  }

  /**
   * Adds a handler. Before {@link #start()}, it will see the initial list as adds; after, it is
   * first replayed the current cache as adds ({@code isInInitialList = true}), then live changes.
   *
   * @param resyncPeriod zero for none; at least {@link Params#MIN_RESYNC_PERIOD} otherwise
   */
  public Registration addEventHandler(ResourceEventHandler<T> handler, Duration resyncPeriod) {
    Objects.requireNonNull(handler);
    if (!resyncPeriod.isZero() && resyncPeriod.compareTo(Params.MIN_RESYNC_PERIOD) < 0) {
      resyncPeriod = Params.MIN_RESYNC_PERIOD;
    }
    ProcessorListener<T> l = new ProcessorListener<>(name + "-handler-" + listeners.size(), handler, resyncPeriod,
        clock, fifo::hasSynced);
    // Deltas are processed with the queue's lock held, so holding it makes the replay atomic:
    // the new handler sees the cache as of one moment, then every change after it.
    fifo.locked(() -> {
      if (stopped) throw new IllegalStateException(name + ": informer is stopped");
      listeners.add(l);
      if (started) {
        for (T obj : indexer.list()) l.add(new ProcessorListener.Add<>(obj, true));
        if (fifo.hasSynced()) l.markInitialListQueued();
        l.start();
      }
    });
    return l;
  }

  /** Stops delivering to a handler and ends its thread. */
  public void removeEventHandler(Registration r) {
    if (r instanceof ProcessorListener<?> l && listeners.remove(l)) l.stop();
  }

  /** Starts the reflector and the processing thread. Returns at once; see {@link #hasSynced()}. */
  public synchronized void start() {
    if (started) return;
    if (stopped) throw new IllegalStateException(name + ": a stopped informer cannot be restarted");
    fifo.locked(() -> {
      started = true;
      for (ProcessorListener<T> l : listeners) l.start();
    });
    processThread = new Thread(this::processLoop, name + "-process");
    processThread.setDaemon(true);
    processThread.start();
    reflectorThread = new Thread(reflector::run, name + "-reflector");
    reflectorThread.setDaemon(true);
    reflectorThread.start();
  }

  /** Stops watching and delivering; waits briefly for the threads to end. Idempotent. */
  public void stop() {
    synchronized (this) {
      if (stopped) return;
      stopped = true;
    }
    reflector.stop();
    fifo.close();
    for (ProcessorListener<T> l : listeners) l.stop();
    try {
      if (reflectorThread != null) reflectorThread.join(5000);
      if (processThread != null) processThread.join(5000);
      for (ProcessorListener<T> l : listeners) l.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isStopped() {
    return stopped;
  }

  /** The first list has been processed into the cache. */
  public boolean hasSynced() {
    return fifo.hasSynced();
  }

  /** Blocks until {@link #hasSynced()} or the timeout; returns whether it synced. */
  public boolean waitForSync(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasSynced()) {
      if (System.nanoTime() > deadline || stopped) return false;
      Thread.sleep(5);
    }
    return true;
  }

  /** The cache (read it; only the informer writes it). */
  public Indexer<T> indexer() {
    return indexer;
  }

  public Lister<T> lister() {
    return new Lister<>(indexer);
  }

  /** Adds indexes to the cache (allowed before and after start). */
  public void addIndexers(Map<String, IndexFunc<T>> more) {
    indexer.addIndexers(more);
  }

  /** The resourceVersion the cache is at: of the last list, event or bookmark processed by the reflector. */
  public String lastSyncResourceVersion() {
    return reflector.lastSyncResourceVersion();
  }

  /** The reflector, for its counters (lists, watches, relists after 410, broken streams). */
  public Reflector<T> reflector() {
    return reflector;
  }

  public String name() {
    return name;
  }

  /** Deltas queued between the reflector and the cache. */
  public int queuedDeltas() {
    return fifo.size();
  }

  // ---- processing thread -----------------------------------------------------------------------

  private void processLoop() {
    while (!stopped) {
      try {
        fifo.pop(this::handleDeltas, resyncCheckInterval);
        checkResync();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, name + ": processing deltas failed", e);
      }
    }
  }

  /**
   * Starts a resync for the handlers whose period is due by the clock. Runs on the processing
   * thread; public so tests driving a fake clock can call it instead of waiting for the next check.
   */
  public void checkResync() {
    fifo.locked(() -> {
      if (resyncInFlight && fifo.size() > 0) return; // the previous resync's deltas are still queued
      resyncInFlight = false;
      Instant now = clock.instant();
      Set<ProcessorListener<T>> due = new HashSet<>();
      for (ProcessorListener<T> l : listeners) if (l.shouldResync(now)) due.add(l);
      if (due.isEmpty()) return;
      syncing = due;
      resyncInFlight = true;
      fifo.resync();
    });
  }

  /** Applies one key's deltas to the cache and notifies handlers. Called with the queue's lock held. */
  private void handleDeltas(List<Delta<T>> deltas, boolean isInInitialList) {
    for (Delta<T> d : deltas) {
      T obj = d.object();
      switch (d.type()) {
        case SYNC, REPLACED, ADDED, UPDATED -> {
          T old = indexer.update(obj);
          if (old != null) {
            // an unchanged resourceVersion means nothing changed: only resyncing handlers hear of it
            boolean isSync = Objects.equals(old.metadata.resourceVersion, obj.metadata.resourceVersion);
            distribute(new ProcessorListener.Update<>(old, obj), isSync);
          } else {
            distribute(new ProcessorListener.Add<>(obj, isInInitialList), false);
          }
        }
        case DELETED -> {
          T old = indexer.delete(obj);
          // a watch DELETED carries the final state; an inferred one carries the cached state
          distribute(new ProcessorListener.Delete<>(d.finalStateUnknown() && old != null ? old : obj,
              d.finalStateUnknown()), false);
        }
      }
    }
  }


  private void distribute(ProcessorListener.Notification<T> n, boolean isSync) {
    if (isSync) {
      for (ProcessorListener<T> l : syncing) if (listeners.contains(l)) l.add(n);
    } else {
      for (ProcessorListener<T> l : listeners) l.add(n);
    }
  }

  /** Configuration of an informer; defaults from {@link Params}. Not thread-safe. */
  public static final class Builder<T extends KubeObject> {
    private final String name;
    private final ListerWatcher<T> lw;
    private Clock clock = Clock.systemUTC();
    private Duration resync = Duration.ZERO;
    private Duration resyncCheckInterval = Params.RESYNC_CHECK_INTERVAL;
    private final Map<String, IndexFunc<T>> indexers = new LinkedHashMap<>();
    private Sleeper sleeper = Sleeper.REAL;
    private RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private Duration minWatchTimeout = Params.MIN_WATCH_TIMEOUT;
    private int pageSize = Params.LIST_PAGE_SIZE;

    private Builder(String name, ListerWatcher<T> lw) {
      this.name = name;
      this.lw = lw;
    }

    /** The clock for resync schedules and back-off resets. */
    public Builder<T> clock(Clock c) { this.clock = c; return this; }
    /** Default resync period of handlers (zero: none). */
    public Builder<T> resync(Duration d) { this.resync = d; return this; }
    /** Wall time between checks of whether a resync is due. */
    public Builder<T> resyncCheckInterval(Duration d) { this.resyncCheckInterval = d; return this; }
    public Builder<T> indexer(String name, IndexFunc<T> f) { indexers.put(name, f); return this; }
    /** How the reflector waits out its back-off. */
    public Builder<T> sleeper(Sleeper s) { this.sleeper = s; return this; }
    public Builder<T> random(RandomGenerator r) { this.random = r; return this; }
    public Builder<T> minWatchTimeout(Duration d) { this.minWatchTimeout = d; return this; }
    public Builder<T> pageSize(int n) { this.pageSize = n; return this; }

    public SharedIndexInformer<T> build() {
      return new SharedIndexInformer<>(this);
    }
  }

  /** Handlers registered, for tests and the informer demo. */
  List<Registration> registrations() {
    return new ArrayList<>(listeners);
  }
}
