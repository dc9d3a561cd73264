package kubelab.store;

/**
 * A store-level failure, with etcd's error vocabulary, so callers (the API server) can map it:
 * a compacted revision becomes Kubernetes' 410 Gone ("too old resource version"), a missing
 * leader or timeout becomes 503/504, and so on.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Code {
    /** The requested revision was compacted (etcd: "mvcc: required revision has been compacted"). */
    COMPACTED,
    /** The requested revision is in the future (etcd: "mvcc: required revision is a future revision"). */
    FUTURE_REVISION,
    LEASE_NOT_FOUND,
    /** No leader is known; retry later (etcd: "etcdserver: no leader"). */
    NO_LEADER,
    /**
     * The request did not complete in time, or its member or connection went away while it was in
     * flight (etcd: "etcdserver: request timed out"). Its outcome is unknown: a write may still
     * be applied. Clients must not blindly retry a write that failed this way.
     */
    TIMEOUT,
    /** Too large a request (etcd: "etcdserver: request is too large"). */
    TOO_LARGE,
    INVALID_ARGUMENT,
    /**
     * The store, member or connection was closed or could not be reached before the request was
     * sent: nothing happened, and retrying (on another member) is safe.
     */
    UNAVAILABLE,
    INTERNAL,
    /**
     * Refused because the cluster is not in a state that allows it: a membership change that
     * names an existing or removed member, comes while another is pending, or would leave too few
     * started members for a quorum (etcd answers these with gRPC FailedPrecondition). Nothing
     * happened. (New codes go at the end: the ordinal is the wire format.)
     */
    FAILED_PRECONDITION
  }

  private final Code code;
  private final long revision;

  public StoreException(Code code, String message) {
    this(code, message, 0, null);
  }

  public StoreException(Code code, String message, long revision, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.revision = revision;
  }

  public Code code() { return code; }

  /** For COMPACTED: the compact revision; otherwise 0. */
  public long revision() { return revision; }
}
