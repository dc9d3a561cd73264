package kubelab.store.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.store.KvStore;

/**
 * Spreads requests over members in turn, as gRPC's round_robin policy does for jetcd: the
 * benchmark's way of loading our cluster exactly as the etcd anchor loads etcd (two requests in
 * three land on a follower, which forwards writes to the leader and asks it for read indexes).
 * No failover: a benchmark wants to see errors, not hide them.
 */
final class RoundRobinKvStore implements KvStore {
  private final List<? extends KvStore> members;
  private final AtomicInteger next = new AtomicInteger();

  RoundRobinKvStore(List<? extends KvStore> members) {
    this.members = List.copyOf(members);
  }

  private KvStore pick() {
    return members.get(Math.floorMod(next.getAndIncrement(), members.size()));
  }

  @Override public CompletableFuture<RangeResponse> range(RangeRequest r) { return pick().range(r); }
  @Override public CompletableFuture<PutResponse> put(PutRequest r) { return pick().put(r); }
  @Override public CompletableFuture<DeleteResponse> delete(DeleteRequest r) { return pick().delete(r); }
  @Override public CompletableFuture<TxnResponse> txn(TxnRequest t) { return pick().txn(t); }
  @Override public CompletableFuture<Long> compact(long rev) { return pick().compact(rev); }
  @Override public WatchHandle watch(WatchRequest r, WatchListener l) { return pick().watch(r, l); }
  @Override public CompletableFuture<Lease> leaseGrant(long ttl) { return pick().leaseGrant(ttl); }
  @Override public CompletableFuture<Void> leaseRevoke(long id) { return pick().leaseRevoke(id); }
  @Override public CompletableFuture<Lease> leaseKeepAlive(long id) { return pick().leaseKeepAlive(id); }
  @Override public CompletableFuture<LeaseStatus> leaseTimeToLive(long id, boolean keys) { return pick().leaseTimeToLive(id, keys); }
  @Override public CompletableFuture<List<Long>> leases() { return pick().leases(); }

  @Override
  public void close() {
    members.forEach(KvStore::close);
  }
}
