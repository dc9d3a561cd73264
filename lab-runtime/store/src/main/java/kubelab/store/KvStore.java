package kubelab.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The key-value API of the cluster's store: etcd v3's KV, Watch and Lease services in Java.
 *
 * <p>The API server is the only component that uses it (as in Kubernetes, where only
 * kube-apiserver talks to etcd). Objects live under {@code /registry/<resource>/<namespace>/<name>}.
 *
 * <p>Semantics follow etcd v3:
 * <ul>
 *   <li>One global <em>revision</em> counts every committed change; each response carries the
 *       store revision it saw ({@code revision()}), which Kubernetes uses as a list's
 *       resourceVersion. Each key has createRevision, modRevision (an object's resourceVersion)
 *       and version (writes since creation; 0 means absent in a {@link Compare}).
 *   <li>Ranges: {@code rangeEnd == null} is one key; {@code rangeEnd} is exclusive; use
 *       {@link #prefixEnd(String)} for "every key with this prefix" and {@code "\0"} for
 *       "every key ≥ key".
 *   <li>Writes are linearizable: the future completes after the write is committed by a majority
 *       and applied. Reads are linearizable unless {@code serializable} is set (then they may be
 *       served from a local, possibly stale, replica).
 *   <li>Watch delivers every change after {@code startRevision - 1} in revision order, or
 *       {@link WatchListener#onCompacted(long)} if that history was compacted.
 * </ul>
 *
 * <p>Contract for implementations: methods never block the caller on I/O (they return futures);
 * futures fail with {@link StoreException} (never a bare RuntimeException) for store-level
 * errors; listeners are called from one thread per watch, in order, and must not block.
 * There is one contract test that every implementation (single member, replicated, remote
 * client) passes.
 */
public interface KvStore extends AutoCloseable {

  CompletableFuture<RangeResponse> range(RangeRequest request);

  CompletableFuture<PutResponse> put(PutRequest request);

  CompletableFuture<DeleteResponse> delete(DeleteRequest request);

  /** If every compare holds, run {@code success}, else {@code failure}; atomically, one revision. */
  CompletableFuture<TxnResponse> txn(TxnRequest request);

  /** Drops history before {@code revision}; later watches or reads below it fail as compacted. */
  CompletableFuture<Long> compact(long revision);

  WatchHandle watch(WatchRequest request, WatchListener listener);

  /** Grants a lease; keys attached to it are deleted when it expires or is revoked. */
  CompletableFuture<Lease> leaseGrant(long ttlSeconds);

  CompletableFuture<Void> leaseRevoke(long leaseId);

  /** Renews the lease; the returned lease carries the TTL granted now. Fails if the lease is gone. */
  CompletableFuture<Lease> leaseKeepAlive(long leaseId);

  /**
   * The remaining TTL of a lease (etcd's LeaseTimeToLive), with its attached keys if asked.
   * A lease that does not exist (expired or revoked) is reported with {@code ttlSeconds == -1},
   * as etcd does.
   */
  CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys);

  /** The ids of every live lease, in id order (etcd's LeaseLeases). */
  CompletableFuture<List<Long>> leases();

  @Override
  void close();

  // ---------------------------------------------------------------------------------------------
  // Values. Keys are strings (Kubernetes keys are ASCII paths); values are bytes.

  /** The smallest key greater than every key that starts with {@code prefix} (etcd's GetPrefixRangeEnd). */
  static String prefixEnd(String prefix) {
    char[] c = prefix.toCharArray();
    for (int i = c.length - 1; i >= 0; i--) {
      if (c[i] < Character.MAX_VALUE) {
        c[i]++;
        return new String(c, 0, i + 1);
      }
    }
    return "\0"; // every key
  }

  record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {}

  record RangeRequest(String key, String rangeEnd, long limit, long revision,
                      boolean keysOnly, boolean countOnly, boolean serializable) implements Op {
    public static RangeRequest key(String key) { return new RangeRequest(key, null, 0, 0, false, false, false); }
    public static RangeRequest prefix(String prefix) { return new RangeRequest(prefix, prefixEnd(prefix), 0, 0, false, false, false); }
    public RangeRequest withLimit(long l) { return new RangeRequest(key, rangeEnd, l, revision, keysOnly, countOnly, serializable); }
    public RangeRequest atRevision(long r) { return new RangeRequest(key, rangeEnd, limit, r, keysOnly, countOnly, serializable); }
    public RangeRequest withSerializable(boolean s) { return new RangeRequest(key, rangeEnd, limit, revision, keysOnly, countOnly, s); }
    public RangeRequest withKeysOnly(boolean k) { return new RangeRequest(key, rangeEnd, limit, revision, k, countOnly, serializable); }
    public RangeRequest withCountOnly(boolean c) { return new RangeRequest(key, rangeEnd, limit, revision, keysOnly, c, serializable); }
  }

  /** {@code more}: more keys matched than {@code limit} allowed; {@code count}: all keys that matched. */
  record RangeResponse(long revision, List<KeyValue> kvs, boolean more, long count) implements OpResponse {}

  record PutRequest(String key, byte[] value, long lease, boolean prevKv) implements Op {
    public static PutRequest of(String key, byte[] value) { return new PutRequest(key, value, 0, false); }
  }

  record PutResponse(long revision, KeyValue prevKv) implements OpResponse {}

  record DeleteRequest(String key, String rangeEnd, boolean prevKv) implements Op {
    public static DeleteRequest key(String key) { return new DeleteRequest(key, null, false); }
    public static DeleteRequest prefix(String prefix) { return new DeleteRequest(prefix, prefixEnd(prefix), false); }
  }

  record DeleteResponse(long revision, long deleted, List<KeyValue> prevKvs) implements OpResponse {}

  /** One operation inside a transaction. */
  sealed interface Op permits RangeRequest, PutRequest, DeleteRequest {}

  sealed interface OpResponse permits RangeResponse, PutResponse, DeleteResponse {}

  /**
   * A transaction guard: {@code target} of {@code key} compared with a value. For VERSION, CREATE,
   * MOD and LEASE the number is used; for VALUE the bytes. A missing key has version, create and mod
   * revision 0.
   */
  record Compare(String key, Target target, Result result, long number, byte[] value) {
    public enum Target { VERSION, CREATE, MOD, VALUE, LEASE }
    public enum Result { EQUAL, NOT_EQUAL, GREATER, LESS }
    public static Compare modRevision(String key, Result r, long rev) { return new Compare(key, Target.MOD, r, rev, null); }
    public static Compare version(String key, Result r, long v) { return new Compare(key, Target.VERSION, r, v, null); }
    public static Compare createRevision(String key, Result r, long rev) { return new Compare(key, Target.CREATE, r, rev, null); }
    public static Compare value(String key, Result r, byte[] v) { return new Compare(key, Target.VALUE, r, 0, v); }
  }

  record TxnRequest(List<Compare> compares, List<Op> success, List<Op> failure) {}

  /** {@code responses} line up with the ops of the branch that ran. */
  record TxnResponse(long revision, boolean succeeded, List<OpResponse> responses) {}

  record WatchRequest(String key, String rangeEnd, long startRevision, boolean prevKv, boolean progressNotify) {
    public static WatchRequest prefix(String prefix, long startRevision) {
      return new WatchRequest(prefix, prefixEnd(prefix), startRevision, false, false);
    }
  }

  record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }
  }

  interface WatchListener {
    /** Events of one or more revisions, in order; {@code revision} is the store revision after them. */
    void onEvents(long revision, List<WatchEvent> events);

    /** A progress notification: nothing matched up to {@code revision} (Kubernetes bookmarks). */
    default void onProgress(long revision) {}

    /** The requested start revision was compacted; the watch is over. */
    void onCompacted(long compactRevision);

    /** The watch ended for another reason (store closed, connection lost). */
    void onError(Throwable cause);
  }

  interface WatchHandle extends AutoCloseable {
    /**
     * Asks for a progress notification: the listener's {@code onProgress(rev)} tells that every
     * matching change up to {@code rev} was delivered (etcd's RequestProgress; Kubernetes uses it
     * for consistent reads from its watch cache).
     */
    void requestProgress();

    /** Stops the watch; no listener call starts after this returns (one already running may finish). */
    @Override
    void close();
  }

  record Lease(long id, long ttlSeconds) {}

  /** {@code ttlSeconds}: seconds left, or -1 if the lease does not exist; {@code keys}: if asked, sorted. */
  record LeaseStatus(long id, long ttlSeconds, long grantedTtlSeconds, List<String> keys) {}
}
