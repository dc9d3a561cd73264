package kubelab.client.informer;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import kubelab.api.meta.KubeList;
import kubelab.api.meta.KubeObject;
import kubelab.client.ApiException;
import kubelab.client.KubeClientException;
import kubelab.client.ListOptions;
import kubelab.client.Params;
import kubelab.client.Watch;
import kubelab.client.WatchEvent;
import kubelab.client.flowcontrol.Backoff;
import kubelab.client.flowcontrol.Sleeper;

/**
 * Keeps a {@link DeltaFifo} in step with the API server by list-then-watch (client-go's Reflector,
 * v0.32 behaviour):
 *
 * <ol>
 *   <li><b>List</b> in pages of {@code pageSize} (a consistent read; if the continue token expires
 *       mid-way, one unpaged list instead) and hand the whole set to {@link DeltaFifo#replace}.
 *       Remember the list's resourceVersion.
 *   <li><b>Watch</b> from that version with bookmarks and a server-side timeout chosen at random in
 *       [minWatchTimeout, 2 × minWatchTimeout], so that many clients do not reconnect together.
 *       Each event goes to the queue and advances the remembered version; a BOOKMARK only
 *       advances it.
 *   <li>When a watch <b>ends cleanly</b> (the timeout), or its stream <b>breaks</b>, watch again
 *       from the remembered version: nothing is lost, nothing is listed again.
 *   <li>When the server says the version is <b>too old</b> (410 Gone/Expired, as an answer or an
 *       ERROR event), or a watch ends at once without events, or the watch cannot be opened for a
 *       non-retriable reason: go back to 1 (a <b>relist</b>) after a back-off.
 *   <li>If the server cannot be reached, or answers 429, wait for the back-off and retry the watch.
 * </ol>
 *
 * <p>Back-off: exponential with jitter on the injected {@link Backoff} (800 ms doubling to 30 s,
 * reset after 2 quiet minutes), waited through the injected {@link Sleeper}; between two list
 * rounds the back-off always applies, as client-go's sliding {@code BackoffUntil} does.
 *
 * <p>Threading: {@link #run()} blocks its (dedicated) thread until {@link #stop()}; counters may be
 * read from any thread.
 */
public final class Reflector<T extends KubeObject> {
  private static final System.Logger LOG = System.getLogger(Reflector.class.getName());

  private final String name;
  private final ListerWatcher<T> lw;
  private final DeltaFifo<T> store;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final Duration minWatchTimeout;
  private final int pageSize;
  private volatile String lastSyncResourceVersion = "";
  private volatile boolean stopped;
  private volatile Watch<T> currentWatch;
  private volatile Thread runner;
  private final AtomicLong lists = new AtomicLong();
  private final AtomicLong watches = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong brokenStreams = new AtomicLong();

  public Reflector(String name, ListerWatcher<T> lw, DeltaFifo<T> store, Backoff backoff, Sleeper sleeper,
      RandomGenerator random, Duration minWatchTimeout, int pageSize) {
    this.name = name;
    this.lw = lw;
    this.store = store;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.random = random;
    this.minWatchTimeout = minWatchTimeout;
    this.pageSize = pageSize;
  }

  /** Lists and watches until {@link #stop()}. Blocks the calling thread. */
  public void run() {
    runner = Thread.currentThread();
    try {
      while (!stopped) {
        try {
          listAndWatch();
        } catch (KubeClientException e) {
          if (!stopped) LOG.log(Level.WARNING, "{0}: list-and-watch failed: {1}", name, e.getMessage());
        } catch (RuntimeException e) {
          if (!stopped) LOG.log(Level.ERROR, name + ": list-and-watch crashed", e);
        }
        if (stopped) break;
        try {
          sleeper.sleep(backoff.next());
        } catch (InterruptedException e) {
          break;
        }
      }
    } finally {
      runner = null;
    }
  }

  /** Ends {@link #run()}: closes the open watch and wakes a sleeping back-off. Idempotent. */
  public void stop() {
    stopped = true;
    Watch<T> w = currentWatch;
    if (w != null) w.close();
    Thread t = runner;
    if (t != null && t != Thread.currentThread()) t.interrupt();
  }

  /** One round: list, then watch until the watch can no longer continue. */
  void listAndWatch() {
    list();
    while (!stopped) {
      if (!watchOnce()) return;
    }
  }

  private void list() {
    lists.incrementAndGet();
    KubeList<T> result;
    try {
      result = lw.list(ListOptions.ALL.withLimit(pageSize));
      String cont = result.metadata.continueToken;
      while (cont != null && !cont.isEmpty()) {
        KubeList<T> page = lw.list(ListOptions.ALL.withLimit(pageSize).withContinue(cont));
        result.items.addAll(page.items);
        cont = page.metadata.continueToken;
      }
    } catch (ApiException.Gone e) {
      // The continue token expired mid-way (client-go pager's FullListIfExpired): list in one go.
      LOG.log(Level.INFO, "{0}: paged list expired, listing without paging", name);
      result = lw.list(ListOptions.ALL);
    }
    List<T> items = result.items;
    store.replace(items);
    lastSyncResourceVersion = result.metadata.resourceVersion == null ? "" : result.metadata.resourceVersion;
  }

  /** Returns true to watch again from the last version, false to relist. */
  private boolean watchOnce() {
    long timeout = (long) (minWatchTimeout.toSeconds() * (1 + random.nextDouble()));
    ListOptions opts = ListOptions.ALL.withResourceVersion(lastSyncResourceVersion)
        .withTimeoutSeconds((int) Math.max(1, timeout)).withBookmarks(true);
    Watch<T> w;
    try {
      watches.incrementAndGet();
      w = lw.watch(opts);
    } catch (ApiException.Gone e) {
      expired.incrementAndGet();
      LOG.log(Level.INFO, "{0}: watch from {1} expired ({2}): relisting", name, lastSyncResourceVersion, e.getMessage());
      return false;
    } catch (ApiException.TooManyRequests e) {
      return sleepThenRetry();
    } catch (ApiException e) {
      LOG.log(Level.WARNING, "{0}: watch failed: {1}", name, e.getMessage());
      return false;
    } catch (KubeClientException e) {
      // cannot connect: wait and try the watch again (client-go's retriable watch errors)
      LOG.log(Level.INFO, "{0}: cannot open watch: {1}", name, e.getMessage());
      return sleepThenRetry();
    }
    currentWatch = w;
    long started = System.nanoTime();
    long count = 0;
    try {
      if (stopped) return false;
      WatchEvent<T> e;
      while ((e = w.next()) != null) {
        switch (e.type()) {
          case ERROR -> {
            if (e.error() instanceof ApiException.Gone) {
              expired.incrementAndGet();
              LOG.log(Level.INFO, "{0}: watch expired: {1}; relisting", name, e.error().statusMessage());
            } else {
              LOG.log(Level.WARNING, "{0}: watch error: {1}", name, e.error().getMessage());
            }
            return false;
          }
          case ADDED -> store.add(e.object());
          case MODIFIED -> store.update(e.object());
          case DELETED -> store.delete(e.object());
          case BOOKMARK -> { }
        }
        count++;
        events.incrementAndGet();
        String rv = e.object().metadata == null ? null : e.object().metadata.resourceVersion;
        if (rv != null && !rv.isEmpty()) lastSyncResourceVersion = rv;
      }
      if (stopped) return false;
      if (count == 0 && System.nanoTime() - started < Params.SHORT_WATCH.toNanos()) {
        LOG.log(Level.WARNING, "{0}: very short watch with no events: relisting after back-off", name);
        return false;
      }
      return true;
    } catch (KubeClientException broken) {
      if (stopped) return false;
      brokenStreams.incrementAndGet();
      if (count == 0 && System.nanoTime() - started < Params.SHORT_WATCH.toNanos()) {
        // breaking at once, again and again, must not spin: back off before the next attempt
        LOG.log(Level.INFO, "{0}: watch stream broke at once ({1})", name, broken.getMessage());
        return sleepThenRetry();
      }
      LOG.log(Level.INFO, "{0}: watch stream broke ({1}); watching again from {2}", name, broken.getMessage(),
          lastSyncResourceVersion);
      return true;
    } finally {
      currentWatch = null;
      w.close();
    }
  }

  private boolean sleepThenRetry() {
    try {
      sleeper.sleep(backoff.next());
      return !stopped;
    } catch (InterruptedException ie) {
      stopped = true;
      return false;
    }
  }

  /** The resourceVersion of the last list, event or bookmark processed ("" before the first list). */
  public String lastSyncResourceVersion() {
    return lastSyncResourceVersion;
  }

  public long listCount() { return lists.get(); }
  public long watchCount() { return watches.get(); }
  public long eventCount() { return events.get(); }
  /** Times the server said a version was too old (410), each followed by a relist. */
  public long expiredCount() { return expired.get(); }
  /** Watch streams that broke mid-way (each followed by a re-watch). */
  public long brokenStreamCount() { return brokenStreams.get(); }
  public String name() { return name; }
}
