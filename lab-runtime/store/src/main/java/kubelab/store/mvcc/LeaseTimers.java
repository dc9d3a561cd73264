package kubelab.store.mvcc;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expiry clocks of leases: the one part of leases that is not replicated state.
 *
 * <p>The keyspace only knows that a lease exists, with which TTL and which keys. When it expires
 * is a matter of time, and time differs between machines, so as in etcd only the leader acts on
 * it: it asks {@link #expired()} periodically and proposes a {@link Command.LeaseRevoke} for each
 * lease found. Every member still keeps the clocks (restarted on each applied grant and
 * keep-alive), so a member that becomes leader knows roughly where each lease stands; to be safe
 * it first {@link #promote()}s, giving every lease a full TTL, as etcd's lessor.Promote does.
 * A revocation already proposed is not proposed again before {@link #RETRY_MILLIS}.
 *
 * <p>Thread-safe (synchronized); called under the keyspace lock as its {@link MvccStore.LeaseObserver}.
 */
public final class LeaseTimers implements MvccStore.LeaseObserver {
  /** A proposed revocation that did not apply (lost leader, dropped proposal) is retried after this. */
  static final long RETRY_MILLIS = 2_000;

  private final Clock clock;
  private final Map<Long, Long> ttls = new HashMap<>();
  private final Map<Long, Long> deadlines = new HashMap<>();
  private final Map<Long, Long> revoking = new HashMap<>();

  public LeaseTimers(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void granted(long id, long ttlSeconds) {
    ttls.put(id, ttlSeconds);
    deadlines.put(id, clock.millis() + ttlSeconds * 1000);
  }

  @Override
  public synchronized void renewed(long id, long ttlSeconds) {
    granted(id, ttlSeconds);
  }

  @Override
  public synchronized void revoked(long id) {
    ttls.remove(id);
    deadlines.remove(id);
    revoking.remove(id);
  }

  @Override
  public synchronized void restored(Map<Long, Long> leases) {
    ttls.clear();
    deadlines.clear();
    revoking.clear();
    leases.forEach(this::granted);
  }

  /** This member became leader: every lease gets a full TTL from now. */
  public synchronized void promote() {
    long now = clock.millis();
    ttls.forEach((id, ttl) -> deadlines.put(id, now + ttl * 1000));
    revoking.clear();
  }

  /** Leases past their deadline whose revocation is not already under way; marks them under way. */
  public synchronized List<Long> expired() {
    long now = clock.millis();
    List<Long> out = new ArrayList<>();
    deadlines.forEach((id, deadline) -> {
      if (deadline <= now) {
        Long since = revoking.get(id);
        if (since == null || now - since >= RETRY_MILLIS) out.add(id);
      }
    });
    out.sort(null);
    for (Long id : out) revoking.put(id, now);
    return out;
  }

  /** Seconds left before lease {@code id} expires (rounded up), or -1 if unknown. */
  public synchronized long remainingSeconds(long id) {
    Long d = deadlines.get(id);
    if (d == null) return -1;
    return Math.max(0, (d - clock.millis() + 999) / 1000);
  }
}
