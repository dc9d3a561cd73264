package kubelab.store.mvcc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchListener;
import kubelab.store.KvStore.WatchRequest;

/**
 * The watchers of one {@link MvccStore} (etcd's watchableStore, simplified): a new watch first
 * replays the history it asked for from the {@link EventLog}, then is "synced" and receives each
 * new revision as it is applied. Both happen under the store's lock, so no revision is missed or
 * sent twice; delivery itself runs on the watcher's {@link SerialExecutor}, outside the lock.
 *
 * <p>Matching is a linear scan over watchers per revision: the API server holds tens of watches
 * (one per resource), not the millions etcd's interval tree is built for.
 *
 * <p>Called only with the store lock held.
 */
final class WatchHub {
  final class Watcher {
    final long id;
    final String key;
    final String end;
    final boolean prevKv;
    final boolean progressNotify;
    final WatchListener listener;
    /** Where listener calls run: the watch's own serial executor, or inline (see {@link #add}). */
    final java.util.concurrent.Executor out;
    /** The next revision this watcher has not been sent. */
    long nextRev;
    volatile boolean closed;

    Watcher(long id, WatchRequest r, WatchListener listener, boolean inline) {
      this.id = id;
      this.out = inline ? Runnable::run : new SerialExecutor();
      this.key = r.key();
      this.end = r.rangeEnd();
      this.prevKv = r.prevKv();
      this.progressNotify = r.progressNotify();
      this.listener = listener;
    }

    boolean matches(String k) {
      if (end == null) return k.equals(key);
      if (k.compareTo(key) < 0) return false;
      return end.equals("\0") || k.compareTo(end) < 0;
    }

    void send(long rev, List<WatchEvent> events) {
      out.execute(() -> {
        if (!closed) listener.onEvents(rev, events);
      });
    }
  }

  private final Map<Long, Watcher> watchers = new LinkedHashMap<>();
  private long nextId = 1;

  /**
   * Registers a watch that has seen nothing yet: replays [{@code start}, {@code current}] from
   * {@code log}, or ends it as compacted if that history is gone. An {@code inline} listener is
   * called on the applying thread with the store lock held: only for listeners that just enqueue
   * (the server's client sessions), to save a thread hop per event.
   */
  Watcher add(WatchRequest r, WatchListener listener, long current, long compactRev, EventLog log, boolean inline) {
    Watcher w = new Watcher(nextId++, r, listener, inline);
    long start = r.startRevision() <= 0 ? current + 1 : r.startRevision();
    if (start < compactRev) {
      w.closed = true;
      w.out.execute(() -> listener.onCompacted(compactRev));
      return w;
    }
    w.nextRev = start;
    catchUp(w, current, log);
    watchers.put(w.id, w);
    return w;
  }

  /** Sends {@code w} every matching event from its nextRev through {@code current}. */
  private void catchUp(Watcher w, long current, EventLog log) {
    List<WatchEvent> batch = new ArrayList<>();
    for (long rev = Math.max(w.nextRev, log.first()); rev <= current; rev++) {
      for (WatchEvent e : log.at(rev)) {
        if (w.matches(e.kv().key())) batch.add(w.prevKv ? e : new WatchEvent(e.type(), e.kv(), null));
      }
      if (batch.size() >= kubelab.store.Params.WATCH_BATCH_EVENTS) {
        w.send(current, batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) w.send(current, batch);
    w.nextRev = Math.max(w.nextRev, current + 1);
  }

  /** A revision was applied: hands its events to every synced watcher they match. */
  void publish(long rev, List<WatchEvent> events) {
    if (watchers.isEmpty()) return;
    for (Watcher w : watchers.values()) {
      if (rev < w.nextRev) continue; // a watch that starts in the future
      List<WatchEvent> mine = null;
      for (WatchEvent e : events) {
        if (w.matches(e.kv().key())) {
          if (mine == null) mine = new ArrayList<>(2);
          mine.add(w.prevKv ? e : new WatchEvent(e.type(), e.kv(), null));
        }
      }
      w.nextRev = rev + 1;
      if (mine != null) w.send(rev, mine);
    }
  }

  /**
   * The whole keyspace was replaced (a follower installed a snapshot): every watcher replays what
   * it missed from the new history, or ends as compacted if the new history does not reach back.
   */
  void resync(long current, long compactRev, EventLog log) {
    for (var it = watchers.values().iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (w.nextRev > current) continue;
      if (w.nextRev < Math.max(compactRev, log.first())) {
        it.remove();
        w.out.execute(() -> w.listener.onCompacted(compactRev));
        w.closed = true;
        continue;
      }
      catchUp(w, current, log);
    }
  }

  void remove(long id) {
    Watcher w = watchers.remove(id);
    if (w != null) w.closed = true;
  }

  /** Sends a progress notification to each watcher that asked for them (or to all, if {@code all}). */
  void progress(long current, boolean all) {
    for (Watcher w : watchers.values()) {
      if ((all || w.progressNotify) && w.nextRev > current) {
        w.out.execute(() -> {
          if (!w.closed) w.listener.onProgress(current);
        });
      }
    }
  }

  /** Sends one watcher a progress notification at {@code current} (WatchHandle.requestProgress). */
  void progress(long id, long current) {
    Watcher w = watchers.get(id);
    if (w != null) {
      w.out.execute(() -> {
        if (!w.closed) w.listener.onProgress(current);
      });
    }
  }

  /** Ends every watch with {@code cause} (the store closed). */
  void closeAll(Throwable cause) {
    for (Watcher w : watchers.values()) {
      w.out.execute(() -> w.listener.onError(cause));
      w.closed = true;
    }
    watchers.clear();
  }

  Collection<Watcher> all() {
    return watchers.values();
  }
}
