package kubelab.apiserver.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.Params;
import kubelab.store.KvStore;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.StoreException;

/**
 * Objects in the store: the only class of the API server that speaks {@link KvStore}.
 *
 * <p>Layout (as Kubernetes keeps it in etcd): one key per object,
 * {@code /registry/<resource>/<namespace>/<name>}, whose value is the object's JSON without
 * {@code metadata.resourceVersion}; the resourceVersion is the key's mod revision, filled in on
 * every read. Writes are compare-and-swap transactions on that revision, which is what makes
 * Kubernetes' optimistic concurrency (409 Conflict on a stale resourceVersion) exact.
 *
 * <p>Thread-safe (stateless over the store). Calls block the calling thread until the store
 * answers, at most {@link Params#STORE_TIMEOUT_MS}; store failures become API errors (a compacted
 * revision is 410 Expired, no leader is 503, a timeout is 504).
 */
public final class ObjectStore implements AutoCloseable {
  private final KvStore kv;
  /** Revision of this server's last write per store prefix (read-your-writes for the caches). */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> lastWrite = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, ObjectCache> caches = new java.util.concurrent.ConcurrentHashMap<>();

  public ObjectStore(KvStore kv) {
    this.kv = kv;
  }

  public KvStore kv() {
    return kv;
  }

  // --- TTLs (events expire as with kube-apiserver's --event-ttl) ----------------------------------

  private final Object leaseLock = new Object();
  private long leaseId;
  private long leaseUntilNanos;

  /**
   * The store lease an object of this type is written with, or 0: events get one whose TTL is
   * {@link kubelab.apiserver.Params#EVENT_TTL_SECONDS}, shared by every event written within
   * {@link kubelab.apiserver.Params#EVENT_LEASE_REUSE_SECONDS} (kube-apiserver's lease manager),
   * so the store deletes them an hour later, as it does in etcd.
   */
  private long leaseFor(ResourceType t) {
    if (!t.group().isEmpty() && !t.group().equals("events.k8s.io")) return 0;
    if (!t.plural().equals("events")) return 0;
    synchronized (leaseLock) {
      long now = System.nanoTime();
      if (leaseId != 0 && now - leaseUntilNanos < 0) return leaseId;
      long reuse = kubelab.apiserver.Params.EVENT_LEASE_REUSE_SECONDS;
      leaseId = await(kv.leaseGrant(kubelab.apiserver.Params.EVENT_TTL_SECONDS + reuse)).id();
      leaseUntilNanos = now + reuse * 1_000_000_000L;
      return leaseId;
    }
  }

  private void wrote(ResourceType t, long revision) {
    lastWrite.merge(t.prefix(null), revision, Math::max);
  }

  private ObjectCache cache(ResourceType t) {
    return caches.computeIfAbsent(t.prefix(null), p -> new ObjectCache(kv, t));
  }

  /**
   * The object from this type's in-memory cache (an informer's lister), at least as new as this
   * server's last write of the type; reads the store if the cache lags. The object is shared: do
   * not modify it. For kinds that admission reads on every request (namespaces, LimitRanges,
   * ServiceAccounts, PriorityClasses, ResourceQuotas).
   */
  public Optional<Stored> cachedGet(ResourceType t, String namespace, String name) {
    ObjectCache c = cache(t);
    if (c.caughtUp(lastWrite.getOrDefault(t.prefix(null), 0L))) return c.get(namespace, name);
    return get(t, namespace, name);
  }

  /** Every object of the type in {@code namespace} ("" or null: all), from the cache; see {@link #cachedGet}. */
  public List<Stored> cachedList(ResourceType t, String namespace) {
    ObjectCache c = cache(t);
    if (c.caughtUp(lastWrite.getOrDefault(t.prefix(null), 0L))) return c.list(namespace);
    return list(t, namespace, null, 0, null, 0, false).items();
  }

  @Override
  public void close() {
    caches.values().forEach(ObjectCache::close);
    caches.clear();
  }

  /** The object, or empty if absent. */
  public Optional<Stored> get(ResourceType t, String namespace, String name) {
    var r = await(kv.range(KvStore.RangeRequest.key(t.key(namespace, name))));
    if (r.kvs().isEmpty()) return Optional.empty();
    return Optional.of(lazy(r.kvs().get(0)));
  }

  /** One page of a list: the matching objects, the revision it was read at and the next token. */
  public record Page(List<Stored> items, long revision, String continueToken, Long remaining) {}

  /**
   * Lists objects under a prefix at one revision, filtering with {@code filter} and stopping at
   * {@code limit} matches (0: no limit), as Kubernetes' etcd3 store does: it reads the store in
   * batches until the page is full, all at the revision of the first batch.
   *
   * @param revision 0 for the current revision, else an exact revision (410 if compacted)
   * @param continueToken a token from a previous page, or null
   * @param filtered whether {@code filter} can reject objects (then no remainingItemCount)
   */
  public Page list(ResourceType t, String namespace, Predicate<ObjectNode> filter, long limit,
      String continueToken, long revision, boolean filtered) {
    String prefix = t.prefix(namespace);
    String end = KvStore.prefixEnd(prefix);
    String start = prefix;
    long rev = revision;
    if (continueToken != null && !continueToken.isEmpty()) {
      ContinueToken c = ContinueToken.decode(continueToken);
      start = prefix + c.start();
      rev = c.revision();
    }
    List<Stored> out = new ArrayList<>();
    long batch = limit > 0 ? Math.max(limit, Params.LIST_BATCH_MIN) : 0;
    String lastKey = null;
    boolean more;
    Long remaining = null;
    while (true) {
      KvStore.RangeResponse r;
      try {
        r = await(kv.range(new KvStore.RangeRequest(start, end, batch, rev, false, false, false)));
      } catch (ApiError e) {
        if (e.code() == 410 && continueToken != null) {
          throw ApiError.expired("The provided continue parameter is too old to display a consistent "
              + "list result. You can start a new list without the continue parameter, or use the "
              + "continue token in this response to retrieve the remainder of the results. Continuing "
              + "with the provided token results in an inconsistent list - objects that were created, "
              + "modified, or deleted between the time the first chunk was returned and now may show up "
              + "in the list.");
        }
        throw e;
      }
      if (rev == 0) rev = r.revision();
      int used = 0;
      for (KeyValue k : r.kvs()) {
        used++;
        lastKey = k.key();
        Stored s = lazy(k);
        if (filter == null || filter.test(s.object())) out.add(s);
        if (limit > 0 && out.size() >= limit) break;
      }
      boolean consumedAll = used == r.kvs().size();
      more = r.more() || !consumedAll;
      if (limit > 0 && out.size() >= limit) {
        if (!filtered && more) remaining = r.count() - used;
        break;
      }
      if (!r.more()) break;
      start = lastKey + "\0";
    }
    String token = null;
    if (limit > 0 && out.size() >= limit && more && lastKey != null) {
      token = new ContinueToken(rev, lastKey.substring(prefix.length()) + "\0").encode();
    } else {
      remaining = null;
    }
    return new Page(out, rev, token, remaining);
  }

  /** The store's current revision (a list's resourceVersion when nothing else says). */
  public long currentRevision() {
    return await(kv.range(KvStore.RangeRequest.key("/registry/.revision").withCountOnly(true))).revision();
  }

  /**
   * Creates the object if its key is free.
   *
   * @throws ApiError 409 AlreadyExists when the key exists
   */
  public Stored create(ResourceType t, ObjectNode obj) {
    String key = keyOf(t, obj);
    byte[] value = encode(obj);
    var txn = new KvStore.TxnRequest(
        List.of(Compare.createRevision(key, Compare.Result.EQUAL, 0)),
        List.of(new KvStore.PutRequest(key, value, leaseFor(t), false)),
        List.of());
    var r = await(kv.txn(txn));
    if (!r.succeeded()) throw ApiError.alreadyExists(t, obj.path("metadata").path("name").asText());
    wrote(t, r.revision());
    setRv(obj, r.revision());
    return new Stored(obj, r.revision());
  }

  /**
   * Replaces the object if its key still has mod revision {@code expected}; returns empty if it
   * changed meanwhile (the caller decides: retry, or 409 Conflict).
   */
  public Optional<Stored> replace(ResourceType t, ObjectNode obj, long expected) {
    String key = keyOf(t, obj);
    byte[] value = encode(obj);
    var txn = new KvStore.TxnRequest(
        List.of(Compare.modRevision(key, Compare.Result.EQUAL, expected)),
        List.of(new KvStore.PutRequest(key, value, leaseFor(t), false)),
        List.of());
    var r = await(kv.txn(txn));
    if (!r.succeeded()) return Optional.empty();
    wrote(t, r.revision());
    setRv(obj, r.revision());
    return Optional.of(new Stored(obj, r.revision()));
  }

  /**
   * Deletes the object if its key still has mod revision {@code expected}; returns the deletion
   * revision, or -1 if it changed meanwhile.
   */
  public long remove(ResourceType t, String namespace, String name, long expected) {
    String key = t.key(namespace, name);
    var txn = new KvStore.TxnRequest(
        List.of(Compare.modRevision(key, Compare.Result.EQUAL, expected)),
        List.of(KvStore.DeleteRequest.key(key)),
        List.of());
    var r = await(kv.txn(txn));
    if (r.succeeded()) wrote(t, r.revision());
    return r.succeeded() ? r.revision() : -1;
  }

  private static String keyOf(ResourceType t, ObjectNode obj) {
    ObjectNode meta = (ObjectNode) obj.path("metadata");
    return t.key(meta.path("namespace").asText(""), meta.path("name").asText());
  }

  /** The stored bytes: the object's JSON without its resourceVersion (the key's revision is it). */
  public static byte[] encode(ObjectNode obj) {
    // apiVersion, kind and metadata first: a read can then splice the resourceVersion in without
    // decoding (Stored.json).
    ObjectNode ordered = Json.MAPPER.createObjectNode();
    for (String f : new String[] {"apiVersion", "kind", "metadata"}) if (obj.has(f)) ordered.set(f, obj.get(f));
    for (var it = obj.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!ordered.has(e.getKey())) ordered.set(e.getKey(), e.getValue());
    }
    ObjectNode meta = obj.with("metadata");
    var rv = meta.remove("resourceVersion");
    try {
      return Json.MAPPER.writeValueAsBytes(ordered);
    } catch (JsonProcessingException e) {
      throw ApiError.internal("cannot encode object: " + e.getOriginalMessage());
    } finally {
      if (rv != null) meta.set("resourceVersion", rv);
    }
  }


  public static Stored decode(KeyValue k) {
    Stored s = Stored.lazy(k.key(), k.value(), k.modRevision());
    s.object();
    return s;
  }

  /** An object read from the store, decoded when first needed. */
  public static Stored lazy(KeyValue k) {
    return Stored.lazy(k.key(), k.value(), k.modRevision());
  }


  static void setRv(ObjectNode obj, long rev) {
    obj.with("metadata").put("resourceVersion", Long.toString(rev));
  }

  /** Waits for a store future, mapping store failures to API errors. */
  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(Params.STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw ApiError.timeout("Timeout: request did not complete within requested timeout - context deadline exceeded");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.serviceUnavailable("interrupted while waiting for the store");
    } catch (ExecutionException e) {
      throw fromStore(e.getCause());
    }
  }

  /** Maps a store failure to the error kube-apiserver answers for the matching etcd error. */
  public static ApiError fromStore(Throwable t) {
    if (t instanceof ApiError a) return a;
    if (t instanceof StoreException s) {
      return switch (s.code()) {
        case COMPACTED -> ApiError.expired("The resourceVersion for the provided list is too old.");
        case FUTURE_REVISION -> ApiError.timeout("Too large resource version");
        case NO_LEADER, UNAVAILABLE -> ApiError.serviceUnavailable("etcdserver: " + cleaned(s.getMessage()));
        case TIMEOUT -> ApiError.timeout("Timeout: request did not complete within requested timeout - "
            + s.getMessage());
        case TOO_LARGE -> new ApiError(413, ApiError.REQUEST_ENTITY_TOO_LARGE,
            "etcdserver: request is too large", null);
        default -> ApiError.internal(s.getMessage());
      };
    }
    return ApiError.internal(String.valueOf(t));
  }

  private static String cleaned(String m) {
    return m == null ? "unavailable" : m.replaceFirst("^etcdserver: ", "");
  }
}
