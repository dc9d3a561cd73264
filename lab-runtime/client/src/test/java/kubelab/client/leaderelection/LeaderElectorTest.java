package kubelab.client.leaderelection;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kubelab.client.flowcontrol.Sleeper;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.Test;

/** client-go's leader election rules, stepped on a fake clock over the in-memory lock. */
class LeaderElectorTest {
  final FakeClock clock = new FakeClock();
  final InMemoryLock.Store lease = new InMemoryLock.Store();
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  LeaderElector candidate(String id) {
    return candidate(id, d -> clock.advance(d));
  }

  LeaderElector candidate(String id, Sleeper sleeper) {
    return LeaderElector.config(new InMemoryLock(lease, id), new LeaderElector.Callbacks() {
      @Override public void onStartedLeading() { log.add(id + " started"); }
      @Override public void onStoppedLeading() { log.add(id + " stopped"); }
      @Override public void onNewLeader(String leader) { log.add(id + " sees " + leader); }
    }).clock(clock).sleeper(sleeper).build();
  }

  @Test void theFirstCandidateCreatesTheLease() {
    LeaderElector a = candidate("a");
    assertTrue(a.tryAcquireOrRenew());
    LeaderElectionRecord r = lease.record();
    assertEquals("a", r.holderIdentity());
    assertEquals(Duration.ofSeconds(15), r.leaseDuration());
    assertEquals(0, r.leaderTransitions());
    assertEquals(clock.instant(), r.acquireTime());
  }

  @Test void renewalMovesRenewTimeAndKeepsAcquireTimeAndTransitions() {
    LeaderElector a = candidate("a");
    a.tryAcquireOrRenew();
    Instant acquired = clock.instant();
    clock.advance(Duration.ofSeconds(2));
    assertTrue(a.tryAcquireOrRenew());
    LeaderElectionRecord r = lease.record();
    assertEquals(acquired, r.acquireTime());
    assertEquals(clock.instant(), r.renewTime());
    assertEquals(0, r.leaderTransitions());
  }

  @Test void aStandbyWaitsAFullLeaseDurationFromWhenItLastSawTheRecordChange() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    a.tryAcquireOrRenew();
    assertFalse(b.tryAcquireOrRenew(), "held by a");        // b first sees the record now
    clock.advance(Duration.ofSeconds(14));
    assertFalse(b.tryAcquireOrRenew(), "14 s < leaseDuration");
    clock.advance(Duration.ofSeconds(1));
    assertTrue(b.tryAcquireOrRenew(), "a stopped renewing 15 s ago");
    LeaderElectionRecord r = lease.record();
    assertEquals("b", r.holderIdentity());
    assertEquals(1, r.leaderTransitions());
    assertEquals(clock.instant(), r.acquireTime());
  }

  @Test void renewalsByTheLeaderRestartTheStandbysWait() {
    LeaderElector a = candidate("a");
    LeaderElector b = candidate("b");
    a.tryAcquireOrRenew();
    b.tryAcquireOrRenew();
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertTrue(a.tryAcquireOrRenew());
      assertFalse(b.tryAcquireOrRenew(), "a renews every 10 s < 15 s: b must never win, round " + i);
    }
  }

  @Test void theObserverUsesItsOwnClockNotTheRenewTimeInTheLease() {
    LeaderElector a = candidate("a");
    a.tryAcquireOrRenew();
    clock.advance(Duration.ofHours(1)); // the lease's renewTime is an hour old ...
    LeaderElector b = candidate("b");
    assertFalse(b.tryAcquireOrRenew(), "... but b has only just seen it: it must wait leaseDuration (skew safety)");
    clock.advance(Duration.ofSeconds(15));
    assertTrue(b.tryAcquireOrRenew());
  }

  @Test void ofTwoRacingCandidatesExactlyOneWins() {
    LeaderElector a = candidate("a");
    a.tryAcquireOrRenew();
    LeaderElector b = candidate("b");
    LeaderElector c = candidate("c");
    b.tryAcquireOrRenew();
    c.tryAcquireOrRenew();
    clock.advance(Duration.ofSeconds(16));
    // both read the same expired record; the second write carries a stale version
    boolean bWon = b.tryAcquireOrRenew();
    boolean cWon = c.tryAcquireOrRenew();
    assertTrue(bWon ^ cWon, "exactly one winner: b=" + bWon + " c=" + cWon);
    assertEquals(1, lease.record().leaderTransitions());
  }

  @Test void aLeaderThatCannotRenewStopsLeadingAfterRenewDeadlineBeforeTheLeaseExpires() {
    List<Instant> wakeups = new ArrayList<>();
    LeaderElector a = candidate("a", d -> {
      clock.advance(d);
      wakeups.add(clock.instant());
      if (wakeups.size() == 3) lease.failWrites(true); // the API server becomes unreachable
    });
    Instant start = clock.instant();
    a.run(); // acquires, renews twice, then fails to renew until renewDeadline: returns
    kubelab.client.Eventually.await("onStartedLeading ran (on its own thread)", () -> log.contains("a started"));
    assertEquals(List.of("a sees a", "a stopped"), log.stream().filter(s -> !s.endsWith("started")).toList());
    assertFalse(a.isLeader());
    Instant lastRenew = lease.record().renewTime();
    Duration gaveUpAfter = Duration.between(lastRenew, clock.instant());
    assertTrue(gaveUpAfter.compareTo(Duration.ofSeconds(10)) >= 0, "kept trying for renewDeadline: " + gaveUpAfter);
    assertTrue(gaveUpAfter.compareTo(Duration.ofSeconds(15)) < 0,
        "stopped before the lease expired for others: " + gaveUpAfter + " since the last renewal at " + lastRenew
            + " (start " + start + ")");
  }

  @Test void releaseOnStopLetsAStandbyTakeOverAtOnce() throws Exception {
    LeaderElector a = LeaderElector.config(new InMemoryLock(lease, "a"), new LeaderElector.Callbacks() {
      @Override public void onStartedLeading() {}
      @Override public void onStoppedLeading() { log.add("a stopped"); }
    }).clock(clock).sleeper(d -> Thread.sleep(5)).releaseOnCancel(true).build();
    Thread t = new Thread(a::run);
    t.start();
    kubelab.client.Eventually.await("a leads", a::isLeader);
    a.stop();
    t.join(5000);
    assertEquals("", lease.record().holderIdentity(), "released");
    assertEquals(List.of("a stopped"), log);
    LeaderElector b = candidate("b");
    assertTrue(b.tryAcquireOrRenew(), "an empty holder is free at once");
    assertEquals(1, lease.record().leaderTransitions());
  }

  @Test void uniqueIdentitiesDifferEvenOnOneHost() {
    String a = LeaseLock.uniqueIdentity(), b = LeaseLock.uniqueIdentity();
    assertNotEquals(a, b);
    assertTrue(a.matches(".+_[0-9a-f-]{36}"), a);
  }

  @Test void configRejectsTimingsThatCouldGiveTwoLeaders() {
    InMemoryLock lock = new InMemoryLock(lease, "a");
    LeaderElector.Callbacks cb = new LeaderElector.Callbacks() {
      @Override public void onStartedLeading() {}
      @Override public void onStoppedLeading() {}
    };
    assertThrows(IllegalArgumentException.class, () -> LeaderElector.config(lock, cb)
        .leaseDuration(Duration.ofSeconds(10)).renewDeadline(Duration.ofSeconds(10)).build());
    assertThrows(IllegalArgumentException.class, () -> LeaderElector.config(lock, cb)
        .renewDeadline(Duration.ofSeconds(2)).retryPeriod(Duration.ofSeconds(2)).build());
  }
}
