package kubelab.scheduler.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import kubelab.api.core.Pod;
import kubelab.scheduler.InMemoryCluster;
import kubelab.scheduler.config.Profile;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.QueuedPodInfo;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.WaitingPods;
import kubelab.scheduler.plugins.PluginRegistry;
import kubelab.scheduler.testing.MakePod;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  FakeClock clock;
  SchedulingQueue q;

  @BeforeEach
  void setUp() {
    clock = new FakeClock();
    InMemoryCluster c = new InMemoryCluster(clock);
    FrameworkHandle h = new FrameworkHandle(new Snapshot(), ClusterObjects.NONE, c, clock, new Nominator(), new Parallelizer(1), new WaitingPods());
    Framework fwk = new Framework(Profile.defaults("default-scheduler"), PluginRegistry.inTree(), h);
    q = new SchedulingQueue(clock, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)), p -> fwk, fwk, new Nominator());
  }

  String pop() throws InterruptedException {
    QueuedPodInfo p = q.pop(Duration.ZERO);
    return p == null ? null : p.podInfo().name();
  }

  /** Pops the pod and fails it as the given plugin would. */
  QueuedPodInfo failWith(String plugin) throws InterruptedException {
    QueuedPodInfo p = q.pop(Duration.ZERO);
    if (plugin != null) p.unschedulablePlugins.add(plugin);
    q.addUnschedulableIfNotPresent(p, q.schedulingCycle());
    return p;
  }

  @Test
  void activeQPopsHigherPriorityFirstThenTheOlderPod() throws Exception {
    q.add(MakePod.named("low").priority(0).obj());
    clock.advance(Duration.ofMillis(1));
    q.add(MakePod.named("high").priority(1000000).obj());
    clock.advance(Duration.ofMillis(1));
    q.add(MakePod.named("low-later").priority(0).obj());
    assertEquals("high", pop());
    assertEquals("low", pop());
    assertEquals("low-later", pop());
    assertNull(pop());
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertEquals(List.of(1L, 1L, 2L, 4L, 8L, 10L, 10L),
        List.of(b.duration(0), b.duration(1), b.duration(2), b.duration(3), b.duration(4), b.duration(5), b.duration(9))
            .stream().map(Duration::getSeconds).toList());
  }

  @Test
  void anUnschedulablePodWaitsForAnEventItsRejectorRegistered() throws Exception {
    q.add(MakePod.named("p").obj());
    failWith("NodeResourcesFit");
    assertEquals(1, q.snapshot().unschedulable().size());
    // A label change on a node cannot free CPU: NodeResourcesFit did not register it.
    assertEquals(0, q.moveAllToActiveOrBackoffQueue(new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.UPDATE_NODE_LABEL)));
    // A new node can.
    clock.advance(Duration.ofSeconds(2));
    assertEquals(1, q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD));
    assertEquals("p", pop());
  }

  @Test
  void aMovedPodStillBackingOffGoesToBackoffQUntilItExpires() throws Exception {
    q.add(MakePod.named("p").obj());
    failWith("NodeResourcesFit");
    q.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    assertEquals(1, q.snapshot().backoff().size());
    assertNull(pop(), "not before its 1 s back-off");
    clock.advance(Duration.ofMillis(999));
    assertEquals(0, q.flushBackoffQCompleted());
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, q.flushBackoffQCompleted());
    assertEquals("p", pop());
  }

  @Test
  void anEventDuringTheCycleSendsTheFailedPodToBackoffQNotToUnschedulable() throws Exception {
    q.add(MakePod.named("p").obj());
    QueuedPodInfo p = q.pop(Duration.ZERO);
    long cycle = q.schedulingCycle();
    q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD); // arrives while p is being scheduled
    p.unschedulablePlugins.add("NodeResourcesFit");
    q.addUnschedulableIfNotPresent(p, cycle);
    assertEquals(1, q.snapshot().backoff().size());
    assertEquals(0, q.snapshot().unschedulable().size());
  }

  @Test
  void unschedulablePodsAreRetriedAfterFiveMinutesWithoutAnEvent() throws Exception {
    q.add(MakePod.named("p").obj());
    failWith("TaintToleration");
    clock.advance(Duration.ofMinutes(4));
    assertEquals(0, q.flushUnschedulablePodsLeftover());
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertEquals(1, q.flushUnschedulablePodsLeftover());
    assertEquals("p", pop());
  }

  @Test
  void aGatedPodNeverReachesActiveQUntilItsGatesAreRemoved() throws Exception {
    Pod gated = MakePod.named("g").schedulingGate("example.com/wait").obj();
    q.add(gated);
    assertNull(pop());
    assertEquals(List.of("SchedulingGates"), q.snapshot().unschedulable().get(0).rejectedBy());
    assertEquals(0, q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD), "events do not release a gated pod");
    q.update(gated, MakePod.named("g").obj());
    assertEquals("g", pop());
  }

  @Test
  void aStatusOnlyUpdateDoesNotReleaseAnUnschedulablePod() throws Exception {
    Pod p = MakePod.named("p").obj();
    q.add(p);
    failWith("NodeResourcesFit");
    Pod withCondition = MakePod.named("p").obj();
    withCondition.status = new kubelab.api.core.PodStatus();
    withCondition.status.conditions = List.of(new kubelab.api.meta.Condition("PodScheduled", "False", "Unschedulable", "0/1 nodes..."));
    q.update(p, withCondition);
    assertEquals(1, q.snapshot().unschedulable().size());
    Pod relabelled = MakePod.named("p").label("tier", "web").obj();
    q.update(withCondition, relabelled);
    assertEquals(0, q.snapshot().unschedulable().size(), "a spec or metadata change may make it schedulable");
  }

  @Test
  void deletingAPodRemovesItFromEveryPart() throws Exception {
    q.add(MakePod.named("a").obj());
    q.add(MakePod.named("b").obj());
    failWith("NodeResourcesFit");
    q.delete("default/a");
    q.delete("default/b");
    assertEquals(0, q.size());
  }
}
