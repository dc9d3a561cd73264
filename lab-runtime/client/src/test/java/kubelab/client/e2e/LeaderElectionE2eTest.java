package kubelab.client.e2e;

import static kubelab.client.Eventually.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kubelab.api.coordination.Lease;
import kubelab.client.KubeClient;
import kubelab.client.leaderelection.LeaderElector;
import kubelab.client.leaderelection.LeaseLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two candidates for one Lease in kube-system, as two kube-scheduler replicas: one leads; when it
 * stops renewing (killed, or cut off from the API server) the other takes over, and the two never
 * lead at the same time. Durations are scaled down (3 s / 2 s / 0.25 s) to keep the test short;
 * the rules are the same as with 15 s / 10 s / 2 s.
 */
class LeaderElectionE2eTest {
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration RENEW = Duration.ofSeconds(2);
  static final Duration RETRY = Duration.ofMillis(250);
  static Cluster cluster;
  final List<String> timeline = Collections.synchronizedList(new ArrayList<>());
  final List<Thread> threads = new ArrayList<>();
  final List<LeaderElector> electors = new ArrayList<>();

  @BeforeAll static void start() {
    cluster = Cluster.shared();
  }


  @AfterEach void stopElectors() throws InterruptedException {
    for (LeaderElector e : electors) e.stop();
    for (Thread t : threads) t.join(5000);
  }

  /** A candidate running in its own thread, recording "id started"/"id stopped" with times. */
  LeaderElector candidate(KubeClient client, String lease, String id, boolean release) {
    LeaderElector e = LeaderElector.config(new LeaseLock(client, "kube-system", lease, id), new LeaderElector.Callbacks() {
      @Override public void onStartedLeading() { timeline.add(Instant.now() + " " + id + " started"); }
      @Override public void onStoppedLeading() { timeline.add(Instant.now() + " " + id + " stopped"); }
    }).leaseDuration(LEASE).renewDeadline(RENEW).retryPeriod(RETRY).releaseOnCancel(release).build();
    Thread t = new Thread(e::run, "elector-" + id);
    t.start();
    threads.add(t);
    electors.add(e);
    return e;
  }

  Lease lease(String name) {
    return cluster.admin.leases("kube-system").get(name);
  }

  /** The events in order, without their times. */
  List<String> events() {
    List<String> out = new ArrayList<>();
    synchronized (timeline) {
      for (String s : timeline) out.add(s.substring(s.indexOf(' ') + 1));
    }
    return out;
  }

  @Test void whenTheLeaderStopsRenewingTheStandbyTakesOverAfterTheLeaseDuration() throws Exception {
    KubeClient scheduler = KubeClient.create(cluster.userConfig("system:kube-scheduler")); // RBAC: the scheduler's own rights
    LeaderElector a = candidate(scheduler, "kube-scheduler", "sched-a", false);
    await("a leads", a::isLeader);
    LeaderElector b = candidate(scheduler, "kube-scheduler", "sched-b", false);
    Thread.sleep(LEASE.toMillis() + 500); // b keeps retrying while a renews
    assertFalse(b.isLeader(), "b must not lead while a renews");
    Lease l = lease("kube-scheduler");
    assertEquals("sched-a", l.spec.holderIdentity);
    assertEquals(3, l.spec.leaseDurationSeconds);
    assertEquals(0, l.spec.leaseTransitions);
    assertTrue(l.spec.renewTime.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), l.spec.renewTime);

    long killedAt = System.nanoTime();
    a.stop(); // a "crashes": it stops renewing and does not release
    await("b takes over", Duration.ofSeconds(15), () -> events().contains("sched-b started"));
    Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
    assertTrue(took.compareTo(LEASE.minus(RETRY)) >= 0, "b waited for the lease to expire: " + took);
    l = lease("kube-scheduler");
    assertEquals("sched-b", l.spec.holderIdentity);
    assertEquals(1, l.spec.leaseTransitions);
    assertEquals(List.of("sched-a started", "sched-a stopped", "sched-b started"), events());
  }

  @Test void aLeaderCutOffFromTheApiServerStepsDownBeforeTheOtherStepsUp() throws Exception {
    try (TcpProxy proxy = new TcpProxy(cluster.api.port())) {
      LeaderElector a = candidate(cluster.adminVia(proxy.url()), "partition-lock", "a", false);
      await("a leads", a::isLeader);
      LeaderElector b = candidate(cluster.admin, "partition-lock", "b", false);
      Thread.sleep(500);
      proxy.block(true); // a can no longer renew; it keeps running
      await("b takes over", Duration.ofSeconds(15), () -> events().contains("b started"));
      await("a stepped down", () -> !a.isLeader());
      List<String> ev = events();
      assertEquals(List.of("a started", "a stopped", "b started"), ev,
          "a must stop (after renewDeadline) before b starts (after leaseDuration): " + timeline);
      assertEquals(1, lease("partition-lock").spec.leaseTransitions);
    }
  }

  @Test void aLeaderThatReleasesOnStopHandsOverAtOnce() throws Exception {
    LeaderElector a = candidate(cluster.admin, "release-lock", "a", true);
    await("a leads", a::isLeader);
    LeaderElector b = candidate(cluster.admin, "release-lock", "b", false);
    Thread.sleep(300);
    long t0 = System.nanoTime();
    a.stop();
    await("b leads", Duration.ofSeconds(10), b::isLeader);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.compareTo(LEASE) < 0, "a released the lease, so b need not wait leaseDuration: " + took);
  }
}
