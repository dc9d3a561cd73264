package kubelab.client.leaderelection;

import java.util.concurrent.atomic.AtomicReference;
import kubelab.api.Json;
import kubelab.client.ApiException;

/**
 * An in-process {@link ResourceLock} for pure tests of leader election: several candidates share
 * one {@link Store} (the "Lease"), each through its own lock. Versions make optimistic concurrency
 * behave like the API server's resourceVersion; {@link Store#failWrites} simulates an API server
 * the leader can no longer reach. Thread-safe.
 */
public final class InMemoryLock implements ResourceLock {
  /** The shared lock object: a record and a version. */
  public static final class Store {
    private record Versioned(LeaderElectionRecord record, long version) {}

    private final AtomicReference<Versioned> current = new AtomicReference<>();
    private volatile boolean failWrites;
    private volatile boolean failReads;

    /** While true, create and update fail as if the API server were unreachable. */
    public void failWrites(boolean fail) {
      this.failWrites = fail;
    }

    /** While true, get fails as if the API server were unreachable. */
    public void failReads(boolean fail) {
      this.failReads = fail;
    }

    public LeaderElectionRecord record() {
      Versioned v = current.get();
      return v == null ? null : v.record;
    }
  }

  private final Store store;
  private final String identity;
  private long seenVersion = -1;

  public InMemoryLock(Store store, String identity) {
    this.store = store;
    this.identity = identity;
  }

  @Override public LeaderElectionRecord get() {
    if (store.failReads) throw new kubelab.client.KubeClientException("injected: API server unreachable");
    Store.Versioned v = store.current.get();
    if (v == null) throw status(404, "NotFound", "leases \"lock\" not found");
    seenVersion = v.version;
    return v.record;
  }

  @Override public void create(LeaderElectionRecord r) {
    if (store.failWrites) throw new kubelab.client.KubeClientException("injected: API server unreachable");
    Store.Versioned nv = new Store.Versioned(r, 1);
    if (!store.current.compareAndSet(null, nv)) throw status(409, "AlreadyExists", "leases \"lock\" already exists");
    seenVersion = 1;
  }

  @Override public void update(LeaderElectionRecord r) {
    if (store.failWrites) throw new kubelab.client.KubeClientException("injected: API server unreachable");
    Store.Versioned cur = store.current.get();
    if (cur == null) throw status(404, "NotFound", "leases \"lock\" not found");
    if (cur.version != seenVersion || !store.current.compareAndSet(cur, new Store.Versioned(r, cur.version + 1))) {
      throw status(409, "Conflict", "Operation cannot be fulfilled on leases \"lock\": the object has been modified");
    }
    seenVersion = cur.version + 1;
  }

  @Override public String identity() {
    return identity;
  }

  @Override public String describe() {
    return "in-memory lock";
  }

  private static ApiException status(int code, String reason, String msg) {
    return ApiException.of(code, Json.MAPPER.createObjectNode().put("kind", "Status").put("reason", reason)
        .put("message", msg).put("code", code), msg);
  }
}
