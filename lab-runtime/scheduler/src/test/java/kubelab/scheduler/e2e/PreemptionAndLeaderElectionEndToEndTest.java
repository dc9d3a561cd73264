package kubelab.scheduler.e2e;

import static kubelab.scheduler.e2e.Kubectl.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.client.KubeClient;
import kubelab.scheduler.server.SchedulerServer;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Priority and preemption through the API (PriorityClass admission, victims deleted gracefully
 * with a Preempted event, nominatedNodeName), and two schedulers electing a leader through the
 * kube-system/kube-scheduler Lease: killing the leader hands over.
 */
@Tag("slow")
class PreemptionAndLeaderElectionEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  TestApiServer api;
  KubeClient client;
  Kubectl kubectl;
  SchedulerServer a;
  SchedulerServer b;

  @BeforeEach
  void start() {
    Requires.command("kubectl");
    api = TestApiServer.start();
    client = KubeClient.fromKubeconfig(api.kubeconfig());
    kubectl = new Kubectl(api.kubeconfig());
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
    if (client != null) client.close();
    if (api != null) api.close();
  }

  SchedulerServer scheduler(String id) throws Exception {
    SchedulerServer s = SchedulerServer.builder(client).identity(id)
        .leaseTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500)).build();
    s.start(Duration.ofSeconds(20));
    return s;
  }

  String holder() {
    return kubectl.run(null, "get", "lease", "-n", "kube-system", "kube-scheduler", "-o", "jsonpath={.spec.holderIdentity}");
  }

  void node(String name, String cpu) {
    kubectl.apply(SchedulerEndToEndTest.node(name, cpu, "", ""));
  }

  @Test
  void aHighPriorityPodPreemptsALowerOneWhichIsDeletedGracefully() throws Exception {
    a = scheduler("scheduler-a");
    assertTrue(eventually(a::isLeader, x -> x, WAIT));
    node("node-1", "1");
    kubectl.apply("""
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: high}
        value: 1000000
        """);
    kubectl.apply(SchedulerEndToEndTest.pod("low", "").replace("cpu: 100m", "cpu: 800m"));
    assertEquals("node-1", eventually(() -> kubectl.nodeName("low"), s -> !s.isEmpty(), WAIT));
    kubectl.apply(SchedulerEndToEndTest.pod("vip", "priorityClassName: high").replace("cpu: 100m", "cpu: 800m"));
    assertEquals("1000000", kubectl.run(null, "get", "pod", "vip", "-o", "jsonpath={.spec.priority}"), "admission set the priority");

    // The preemptor is nominated, the victim Terminating (no kubelet here to finish it).
    assertEquals("node-1", eventually(() -> kubectl.run(null, "get", "pod", "vip", "-o", "jsonpath={.status.nominatedNodeName}"),
        s -> !s.isEmpty(), WAIT));
    String deletion = kubectl.run(null, "get", "pod", "low", "-o", "jsonpath={.metadata.deletionTimestamp}");
    assertFalse(deletion.isEmpty(), "the victim is being deleted gracefully");
    String vipUid = kubectl.run(null, "get", "pod", "vip", "-o", "jsonpath={.metadata.uid}");
    List<String> preempted = eventually(() -> kubectl.events("low", "Preempted"), l -> !l.isEmpty(), WAIT);
    assertEquals(List.of("Preempted by pod " + vipUid + " on node node-1"), preempted);
    assertEquals("0/1 nodes are available: 1 Insufficient cpu.", kubectl.events("vip", "FailedScheduling").get(0));
    assertEquals("", kubectl.nodeName("vip"), "scheduled in a later cycle, after the victim is gone");

    // What the kubelet would do once the container stopped: finish the deletion.
    kubectl.run(null, "delete", "pod", "low", "--grace-period=0", "--force");
    assertEquals("node-1", eventually(() -> kubectl.nodeName("vip"), s -> !s.isEmpty(), WAIT));
  }

  @Test
  void twoSchedulersElectOneLeaderAndKillingItHandsOver() throws Exception {
    a = scheduler("scheduler-a");
    assertTrue(eventually(a::isLeader, x -> x, WAIT));
    b = scheduler("scheduler-b");
    node("node-1", "4");
    assertEquals("scheduler-a", holder());
    assertFalse(b.isLeader(), "the standby waits");

    kubectl.apply(SchedulerEndToEndTest.pod("before", ""));
    assertEquals("node-1", eventually(() -> kubectl.nodeName("before"), s -> !s.isEmpty(), WAIT));

    a.kill(); // a crash: no release, so b takes over once the 3 s lease has run out
    assertTrue(eventually(b::isLeader, x -> x, WAIT), "the standby takes over");
    assertEquals("scheduler-b", holder());
    assertEquals("1", kubectl.run(null, "get", "lease", "-n", "kube-system", "kube-scheduler", "-o", "jsonpath={.spec.leaseTransitions}"));
    kubectl.apply(SchedulerEndToEndTest.pod("after", ""));
    assertEquals("node-1", eventually(() -> kubectl.nodeName("after"), s -> !s.isEmpty(), WAIT));
  }

  @Test
  void withTheSchedulerDownPodsStayPendingWithNoEventsAndTheLeaseGoesStale() throws Exception {
    a = scheduler("scheduler-a");
    assertTrue(eventually(a::isLeader, x -> x, WAIT));
    node("node-1", "4");
    a.kill();
    String renew = kubectl.run(null, "get", "lease", "-n", "kube-system", "kube-scheduler", "-o", "jsonpath={.spec.renewTime}");
    kubectl.apply(SchedulerEndToEndTest.pod("web", ""));
    Thread.sleep(2500); // longer than a renewal period: nobody renews, nobody schedules
    assertEquals("", kubectl.nodeName("web"));
    assertEquals(List.of(), kubectl.events("web", "FailedScheduling"), "no scheduler, no events: that is the diagnosis");
    assertEquals(renew, kubectl.run(null, "get", "lease", "-n", "kube-system", "kube-scheduler", "-o", "jsonpath={.spec.renewTime}"),
        "the Lease's renewTime is stale");
    b = scheduler("scheduler-b"); // lab control-plane restart scheduler
    assertEquals("node-1", eventually(() -> kubectl.nodeName("web"), s -> !s.isEmpty(), WAIT));
  }

  @Test
  void aLeaderThatStopsCleanlyReleasesTheLeaseAtOnce() throws Exception {
    a = scheduler("scheduler-a");
    assertTrue(eventually(a::isLeader, x -> x, WAIT));
    b = scheduler("scheduler-b");
    a.close();
    long t0 = System.nanoTime();
    assertTrue(eventually(b::isLeader, x -> x, WAIT));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(3).toNanos(), "released, so no wait for the lease to expire");
  }
}
