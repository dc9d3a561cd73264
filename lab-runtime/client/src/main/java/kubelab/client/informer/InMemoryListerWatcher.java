package kubelab.client.informer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.api.Json;
import kubelab.api.meta.KubeList;
import kubelab.api.meta.KubeObject;
import kubelab.client.ApiException;
import kubelab.client.KubeClientException;
import kubelab.client.ListOptions;
import kubelab.client.Selector;
import kubelab.client.Watch;
import kubelab.client.WatchEvent;

/**
 * An in-process {@link ListerWatcher}: a versioned map of objects with a bounded event history,
 * behaving like the API server's list and watch as far as informers can tell. It exists beside
 * the real HTTP one for pure tests of informers and of components built on them (a scheduler or
 * controller test that feeds objects without a server), and passes the same contract test.
 *
 * <p>What it models: a global resourceVersion incremented on every write (like etcd's revision);
 * list returns a snapshot at the current version; a watch from version {@code v} replays the
 * history after {@code v}, then streams live events (from no version, or "0": an ADDED per
 * current object first, as the API server does); a watch from a version older than the kept
 * history fails with 410 Gone ("too old resource version"), as after an etcd compaction; label
 * selectors, with objects entering or leaving the selection seen as ADDED or DELETED. Faults a
 * test can inject: {@link #compact()}, {@link #breakWatches()}, {@link #endWatches()}.
 *
 * <p>What it does not: field selectors (rejected), paging (limit is ignored, which the API allows),
 * bookmarks, admission, validation. Objects are deep-copied in and out. Thread-safe.
 */
public final class InMemoryListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  private record Event<T>(long rv, WatchEvent.Type type, T object) {}

  private final Class<T> type;
  private final int historyLimit;
  private final Map<String, T> objects = new LinkedHashMap<>();
  private final ArrayDeque<Event<T>> history = new ArrayDeque<>();
  private final CopyOnWriteArrayList<MemWatch> watches = new CopyOnWriteArrayList<>();
  private long rv;
  /** Versions at or below this are compacted: a watch from them gets 410. */
  private long compactedThrough;
  private final AtomicLong listCalls = new AtomicLong();
  private final AtomicLong watchCalls = new AtomicLong();

  public InMemoryListerWatcher(Class<T> type) {
    this(type, 10_000);
  }

  /** @param historyLimit events kept for watches that start in the past */
  public InMemoryListerWatcher(Class<T> type, int historyLimit) {
    this.type = type;
    this.historyLimit = historyLimit;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Stores a new object (uid and resourceVersion assigned); 409 AlreadyExists if its key is taken. */
  public synchronized T create(T obj) {
    T o = copy(obj);
    String key = Indexer.keyOf(o);
    if (objects.containsKey(key)) throw status(409, "AlreadyExists", type.getSimpleName() + " \"" + key + "\" already exists");
    if (o.metadata.uid == null) o.metadata.uid = UUID.randomUUID().toString();
    o.metadata.resourceVersion = Long.toString(++rv);
    objects.put(key, o);
    record(WatchEvent.Type.ADDED, o, null);
    return copy(o);
  }

  /** Replaces an object; 409 Conflict if {@code metadata.resourceVersion} is set and stale, 404 if absent. */
  public synchronized T update(T obj) {
    T o = copy(obj);
    String key = Indexer.keyOf(o);
    T cur = objects.get(key);
    if (cur == null) throw status(404, "NotFound", type.getSimpleName() + " \"" + key + "\" not found");
    String want = o.metadata.resourceVersion;
    if (want != null && !want.isEmpty() && !want.equals(cur.metadata.resourceVersion)) {
      throw status(409, "Conflict", "Operation cannot be fulfilled on " + key
          + ": the object has been modified; please apply your changes to the latest version and try again");
    }
    o.metadata.uid = cur.metadata.uid;
    o.metadata.resourceVersion = Long.toString(++rv);
    objects.put(key, o);
    record(WatchEvent.Type.MODIFIED, o, cur);
    return copy(o);
  }

  /** Removes the object with this key; returns its final state, or null if there was none. */
  public synchronized T delete(String key) {
    T cur = objects.remove(key);
    if (cur == null) return null;
    T gone = copy(cur);
    gone.metadata.resourceVersion = Long.toString(++rv);
    record(WatchEvent.Type.DELETED, gone, cur);
    return copy(gone);
  }

  public synchronized T get(String key) {
    T o = objects.get(key);
    return o == null ? null : copy(o);
  }

  public synchronized int size() {
    return objects.size();
  }

  public synchronized String resourceVersion() {
    return Long.toString(rv);
  }

  // ---- faults ----------------------------------------------------------------------------------

  /** Forgets the event history (an etcd compaction): watches from any past version get 410 Gone. */
  public synchronized void compact() {
    history.clear();
    previousByRv.clear();
    compactedThrough = rv;
  }

  /** Every open watch fails on its next read, as when a connection is cut. */
  public void breakWatches() {
    for (MemWatch w : watches) w.queue.add(BROKEN);
  }

  /** Every open watch ends cleanly, as when the server's timeoutSeconds runs out. */
  public void endWatches() {
    for (MemWatch w : watches) w.queue.add(END);
  }

  /** Every open watch gets an ERROR event with 410 Expired and then ends. */
  public void expireWatches() {
    for (MemWatch w : watches) {
      w.queue.add(new WatchEvent<>(WatchEvent.Type.ERROR, null, status(410, "Expired", "too old resource version")));
      w.queue.add(END);
    }
  }

  public int openWatches() {
    return watches.size();
  }

  public long listCalls() {
    return listCalls.get();
  }

  public long watchCalls() {
    return watchCalls.get();
  }

  // ---- ListerWatcher ---------------------------------------------------------------------------

  @Override public synchronized KubeList<T> list(ListOptions opts) {
    listCalls.incrementAndGet();
    rejectFieldSelector(opts);
    Selector sel = Selector.parse(opts.labelSelector());
    KubeList<T> l = new KubeList<>();
    for (T o : objects.values()) if (sel.matches(o.metadata.labels)) l.items.add(copy(o));
    l.metadata.resourceVersion = Long.toString(rv);
    return l;
  }

  @Override public synchronized Watch<T> watch(ListOptions opts) {
    watchCalls.incrementAndGet();
    rejectFieldSelector(opts);
    Selector sel = Selector.parse(opts.labelSelector());
    MemWatch w = new MemWatch(sel);
    String from = opts.resourceVersion();
    if (from == null || from.isEmpty() || from.equals("0")) {
      // unset or "0": synthetic ADDED events for the current state, then changes (API semantics)
      for (T o : objects.values()) if (sel.matches(o.metadata.labels)) w.queue.add(new WatchEvent<>(WatchEvent.Type.ADDED, copy(o), null));
    } else {
      long v;
      try {
        v = Long.parseLong(from);
      } catch (NumberFormatException e) {
        throw status(400, "BadRequest", "invalid resourceVersion " + from);
      }
      if (v < compactedThrough || (!history.isEmpty() && v < history.peekFirst().rv - 1)) {
        throw status(410, "Expired", "too old resource version: " + v + " (" + (compactedThrough + 1) + ")");
      }
      for (Event<T> e : history) if (e.rv > v) w.offer(e.type, e.object, previous(e));
    }
    watches.add(w);
    return w;
  }

  private static void rejectFieldSelector(ListOptions opts) {
    if (opts.fieldSelector() != null && !opts.fieldSelector().isEmpty()) {
      throw new UnsupportedOperationException("InMemoryListerWatcher does not support field selectors");
    }
  }

  // history keeps the object before each change so that replayed selector transitions are right
  private final Map<Long, T> previousByRv = new LinkedHashMap<>();

  private T previous(Event<T> e) {
    return previousByRv.get(e.rv);
  }

  private void record(WatchEvent.Type t, T now, T before) {
    long v = Long.parseLong(now.metadata.resourceVersion);
    history.addLast(new Event<>(v, t, copy(now)));
    if (before != null) previousByRv.put(v, before);
    while (history.size() > historyLimit) {
      Event<T> dropped = history.pollFirst();
      previousByRv.remove(dropped.rv);
      compactedThrough = dropped.rv;
    }
    for (MemWatch w : watches) w.offer(t, now, before);
  }

  private static final WatchEvent<Object> END = new WatchEvent<>(WatchEvent.Type.BOOKMARK, null, null);
  private static final WatchEvent<Object> BROKEN = new WatchEvent<>(WatchEvent.Type.BOOKMARK, null, null);

  private final class MemWatch implements Watch<T> {
    final LinkedBlockingQueue<WatchEvent<?>> queue = new LinkedBlockingQueue<>();
    final Selector selector;
    final AtomicBoolean closed = new AtomicBoolean();

    MemWatch(Selector selector) {
      this.selector = selector;
    }

    /** Queues the event as seen through the selector: entering is ADDED, leaving is DELETED. */
    void offer(WatchEvent.Type t, T now, T before) {
      boolean inNow = selector.matches(now.metadata.labels);
      boolean inBefore = before != null && selector.matches(before.metadata.labels);
      WatchEvent.Type seen = switch (t) {
        case ADDED -> inNow ? t : null;
        case DELETED -> (before == null ? inNow : inBefore) ? t : null;
        case MODIFIED -> inNow && inBefore ? t : inNow ? WatchEvent.Type.ADDED : inBefore ? WatchEvent.Type.DELETED : null;
        default -> t;
      };
      if (seen != null) queue.add(new WatchEvent<>(seen, copy(now), null));
    }

    @Override @SuppressWarnings("unchecked")
    public WatchEvent<T> next() {
      if (closed.get()) return null;
      WatchEvent<?> e;
      try {
        e = queue.take();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        close();
        return null;
      }
      if (e == END || closed.get()) {
        close();
        return null;
      }
      if (e == BROKEN) {
        close();
        throw new KubeClientException("watch stream broke: connection reset (injected)");
      }
      return (WatchEvent<T>) e;
    }

    @Override public void close() {
      if (closed.compareAndSet(false, true)) {
        watches.remove(this);
        queue.add(END);
      }
    }

    @Override public boolean isClosed() {
      return closed.get();
    }
  }

  private T copy(T o) {
    try {
      return Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(o), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ApiException status(int code, String reason, String message) {
    JsonNode s = Json.MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
        .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return ApiException.of(code, s, message);
  }

  /** Objects currently stored, as copies. */
  public synchronized List<T> snapshot() {
    List<T> out = new ArrayList<>();
    for (T o : objects.values()) out.add(copy(o));
    return out;
  }
}
