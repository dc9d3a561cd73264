package kubelab.client.informer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import kubelab.api.meta.KubeObject;

/**
 * The informer's local cache: objects by key ({@code namespace/name}, or {@code name} for
 * cluster-scoped objects), plus secondary indexes computed by {@link IndexFunc}s (client-go's
 * {@code cache.Indexer} over a {@code threadSafeMap}).
 *
 * <p>Each index maps an index value to the set of keys whose object produces that value, and is
 * kept up to date on every add, update and delete, so {@link #byIndex} ("pods on node-1", "pods
 * in kube-system") costs the size of the answer, not of the cache.
 *
 * <p>Ownership: <b>the objects in the cache are shared with every other reader and must not be
 * mutated</b>. Copy before changing one (e.g. {@code Json.convert(pod, Pod.class)} or a
 * read-modify-write through the client); the informer replaces objects, it never edits them.
 *
 * <p>Thread-safe: many readers or one writer. Only the informer that owns the cache writes to it
 * ({@link #add}, {@link #update}, {@link #delete}, {@link #replace}); components read.
 */
public final class Indexer<T extends KubeObject> {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, T> items = new HashMap<>();
  private final Map<String, IndexFunc<T>> indexers = new LinkedHashMap<>();
  /** index name -> index value -> keys */
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  public Indexer() {
    this(Map.of());
  }

  public Indexer(Map<String, IndexFunc<T>> indexers) {
    addIndexers(indexers);
  }

  /** The cache key of an object: {@code namespace/name}, or {@code name} if cluster-scoped. */
  public static String keyOf(KubeObject o) {
    String ns = o.metadata.namespace;
    return ns == null || ns.isEmpty() ? o.metadata.name : ns + "/" + o.metadata.name;
  }

  /** The key for a namespace and name (null or empty namespace: cluster-scoped). */
  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /**
   * Adds indexes; existing objects are indexed at once. Fails if a name is taken: an index's
   * function cannot change under running readers.
   */
  public void addIndexers(Map<String, IndexFunc<T>> more) {
    lock.writeLock().lock();
    try {
      for (String name : more.keySet()) {
        if (indexers.containsKey(name)) throw new IllegalArgumentException("indexer \"" + name + "\" already exists");
      }
      for (var e : more.entrySet()) {
        indexers.put(e.getKey(), e.getValue());
        Map<String, Set<String>> index = new HashMap<>();
        indices.put(e.getKey(), index);
        for (var it : items.entrySet()) {
          for (String v : e.getValue().values(it.getValue())) index.computeIfAbsent(v, x -> new HashSet<>()).add(it.getKey());
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds or replaces the object under its key. Informer only. */
  public void add(T obj) {
    update(obj);
  }

  /** Adds or replaces the object under its key, re-indexing it. Informer only. Returns the old object, if any. */
  public T update(T obj) {
    String key = keyOf(obj);
    lock.writeLock().lock();
    try {
      T old = items.put(key, obj);
      reindex(key, old, obj);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the object with {@code obj}'s key. Informer only. Returns the removed object, if any. */
  public T delete(T obj) {
    return deleteKey(keyOf(obj));
  }

  public T deleteKey(String key) {
    lock.writeLock().lock();
    try {
      T old = items.remove(key);
      if (old != null) reindex(key, old, null);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Replaces the whole content (a relist). Informer only. */
  public void replace(Collection<T> objs) {
    lock.writeLock().lock();
    try {
      items.clear();
      for (Map<String, Set<String>> index : indices.values()) index.clear();
      for (T o : objs) {
        String key = keyOf(o);
        T old = items.put(key, o);
        reindex(key, old, o);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void reindex(String key, T old, T now) {
    for (var e : indexers.entrySet()) {
      Map<String, Set<String>> index = indices.get(e.getKey());
      List<String> oldValues = old == null ? List.of() : e.getValue().values(old);
      List<String> newValues = now == null ? List.of() : e.getValue().values(now);
      if (oldValues.equals(newValues)) continue;
      for (String v : oldValues) {
        Set<String> keys = index.get(v);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) index.remove(v);
        }
      }
      for (String v : newValues) index.computeIfAbsent(v, x -> new HashSet<>()).add(key);
    }
  }

  /** The cached object with this key, or null. Shared: do not mutate. */
  public T get(String key) {
    lock.readLock().lock();
    try {
      return items.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A snapshot list of all cached objects (a new list of shared objects: do not mutate them). */
  public List<T> list() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(items.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<String> listKeys() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(items.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return items.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Objects whose {@code indexName} function yields {@code value}. @throws IllegalArgumentException for an unknown index */
  public List<T> byIndex(String indexName, String value) {
    lock.readLock().lock();
    try {
      Set<String> keys = index(indexName).get(value);
      if (keys == null) return List.of();
      List<T> out = new ArrayList<>(keys.size());
      for (String k : keys) out.add(items.get(k));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Keys whose {@code indexName} function yields {@code value}. */
  public List<String> indexKeys(String indexName, String value) {
    lock.readLock().lock();
    try {
      Set<String> keys = index(indexName).get(value);
      return keys == null ? List.of() : new ArrayList<>(keys);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every value the index currently holds. */
  public List<String> indexValues(String indexName) {
    lock.readLock().lock();
    try {
      return new ArrayList<>(index(indexName).keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean hasIndex(String indexName) {
    lock.readLock().lock();
    try {
      return indexers.containsKey(indexName);
    } finally {
      lock.readLock().unlock();
    }
  }

  private Map<String, Set<String>> index(String name) {
    Map<String, Set<String>> index = indices.get(name);
    if (index == null) throw new IllegalArgumentException("no index named \"" + name + "\"");
    return index;
  }
}
