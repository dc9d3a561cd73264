package kubelab.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.scheduler.framework.ApiWriter;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

/** Successful placements: the Scheduled event, scoring outcomes, assume-before-bind. */
class SchedulingTest {
  @Test
  void theScheduledEventNamesNamespacePodAndNode() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
      env.cluster.addNode(MakeNode.named("node-2").capacity("4", "4Gi", 110).obj());
      env.cluster.addNode(MakeNode.named("node-3").capacity("4", "4Gi", 110).taint("dedicated", "gpu", "NoSchedule").obj());
      env.cluster.createPod(MakePod.named("web-0").req("cpu", "2").obj());
      env.run();
      assertEquals("node-2", env.nodeOf("web-0"));
      var e = env.events("web-0");
      assertEquals(1, e.size());
      assertEquals("Normal", e.get(0).type());
      assertEquals("Scheduled", e.get(0).reason());
      assertEquals("Successfully assigned default/web-0 to node-2", e.get(0).message());
      Condition c = env.condition("web-0", "PodScheduled");
      assertEquals("True", c.status);
    }
  }

  @Test
  void theRunningSchedulerExplainsAPendingPodFromItsOwnCache() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("a").req("cpu", "1500m").obj());
      env.run();
      var pending = MakePod.named("b").req("cpu", "1").obj();
      var e = env.scheduler.explain(pending);
      assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
          + "1 No preemption victims found for incoming pod.", e.message(), "the assumed/bound pod a is counted");
      assertEquals(List.of(), env.cluster.events("default", "b"), "an explanation writes nothing");
    }
  }

  @Test
  void leastAllocatedSpreadsSixPodsTwoTwoTwoOverThreeEqualNodes() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      for (int i = 1; i <= 3; i++) env.cluster.addNode(MakeNode.named("node-" + i).capacity("4", "8Gi", 110).obj());
      for (int i = 0; i < 6; i++) env.cluster.createPod(MakePod.named("p" + i).req("cpu", "500m").req("memory", "512Mi").obj());
      env.run();
      Map<String, Integer> per = new HashMap<>();
      for (int i = 0; i < 6; i++) per.merge(env.nodeOf("p" + i), 1, Integer::sum);
      assertEquals(Map.of("node-1", 2, "node-2", 2, "node-3", 2), per);
    }
  }

  @Test
  void requiredPodAffinityPutsWebNextToItsCache() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      for (int i = 1; i <= 3; i++) env.cluster.addNode(MakeNode.named("node-" + i).capacity("4", "8Gi", 110).obj());
      env.cluster.createPod(MakePod.named("cache").node("node-2").label("app", "cache").obj());
      for (int i = 0; i < 3; i++) {
        env.cluster.createPod(MakePod.named("web-" + i).requiredPodAffinity("kubernetes.io/hostname", Map.of("app", "cache")).obj());
      }
      env.run();
      for (int i = 0; i < 3; i++) assertEquals("node-2", env.nodeOf("web-" + i));
    }
  }

  @Test
  void preferredNodeAffinityFillsZoneAUntilItIsFull() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("a").capacity("1", "8Gi", 110).label("zone", "a").obj());
      env.cluster.addNode(MakeNode.named("b").capacity("8", "8Gi", 110).label("zone", "b").obj());
      for (int i = 0; i < 3; i++) env.cluster.createPod(MakePod.named("p" + i).req("cpu", "400m").preferredNodeAffinity(80, "zone", "In", "a").obj());
      env.run();
      assertEquals("a", env.nodeOf("p0"));
      assertEquals("a", env.nodeOf("p1"));
      assertEquals("b", env.nodeOf("p2"), "zone a is full after two");
    }
  }

  @Test
  void aWaitForFirstConsumerClaimIsBoundToTheVolumeOnTheChosenNode() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("4", "8Gi", 110).obj());
      env.cluster.addNode(MakeNode.named("node-2").capacity("4", "8Gi", 110).obj());
      var sc = new kubelab.api.storage.StorageClass();
      sc.metadata.name = "local";
      sc.volumeBindingMode = "WaitForFirstConsumer";
      sc.provisioner = "kubernetes.io/no-provisioner";
      env.cluster.addStorageClass(sc);
      env.cluster.addPv(kubelab.scheduler.plugins.volumebinding.VolumeBindingTestSupport.localPv("pv-2", "node-2", "local"));
      PersistentVolumeClaim c = new PersistentVolumeClaim();
      c.metadata.name = "data";
      c.spec.storageClassName = "local";
      env.cluster.addPvc(c);
      env.cluster.createPod(MakePod.named("db").pvc("data").obj());
      env.run();
      assertEquals("node-2", env.nodeOf("db"));
      assertEquals("pv-2", env.cluster.pvc("default", "data").spec.volumeName);
      PersistentVolume pv = env.cluster.pv("pv-2");
      assertEquals("data", pv.spec.claimRef.name);
    }
  }

  /**
   * The cache assumes each pod on its node before the binding lands: with binding stalled, three
   * 1-CPU pods on a 2-CPU node do not over-commit it; the third is told "Insufficient cpu".
   */
  @Test
  void assumedPodsCountBeforeTheirBindingLands() throws Exception {
    InMemoryCluster cluster = new InMemoryCluster();
    CountDownLatch release = new CountDownLatch(1);
    ApiWriter slow = new ApiWriter() {
      @Override public void bind(Pod pod, String nodeName) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        cluster.bind(pod, nodeName);
      }
      @Override public void event(Pod r, String t, String reason, String a, String m) { cluster.event(r, t, reason, a, m); }
      @Override public void updatePodStatus(Pod p, Condition c, String n) { cluster.updatePodStatus(p, c, n); }
      @Override public void deletePod(Pod p, long g) { cluster.deletePod(p, g); }
      @Override public void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc) { cluster.bindVolume(pv, pvc); }
    };
    try (Scheduler s = Scheduler.builder().api(slow).objects(cluster).binderThreads(4).build()) {
      cluster.attach(s);
      cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      for (int i = 0; i < 3; i++) cluster.createPod(MakePod.named("p" + i).req("cpu", "1").obj());
      while (s.scheduleOne(Duration.ZERO)) {}
      assertEquals(2, s.bindingsInFlight(), "two bindings outstanding");
      assertEquals(List.of("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
          + "1 No preemption victims found for incoming pod."),
          cluster.events("default", "p2").stream().map(InMemoryCluster.RecordedEvent::message).toList());
      release.countDown();
      assertTrue(s.awaitBindings(Duration.ofSeconds(10)));
      assertNotNull(cluster.pod("default", "p0").spec.nodeName);
      assertNotNull(cluster.pod("default", "p1").spec.nodeName);
      assertNull(cluster.pod("default", "p2").spec.nodeName);
    }
  }

  @Test
  void aFailedBindingForgetsTheAssumedPodAndRetriesIt() throws Exception {
    InMemoryCluster cluster = new InMemoryCluster();
    int[] calls = {0};
    ApiWriter flaky = new ApiWriter() {
      @Override public void bind(Pod pod, String nodeName) {
        if (calls[0]++ == 0) throw new IllegalStateException("connection refused");
        cluster.bind(pod, nodeName);
      }
      @Override public void event(Pod r, String t, String reason, String a, String m) { cluster.event(r, t, reason, a, m); }
      @Override public void updatePodStatus(Pod p, Condition c, String n) { cluster.updatePodStatus(p, c, n); }
      @Override public void deletePod(Pod p, long g) { cluster.deletePod(p, g); }
      @Override public void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc) { cluster.bindVolume(pv, pvc); }
    };
    var clock = new kubelab.testkit.FakeClock();
    try (Scheduler s = Scheduler.builder().api(flaky).objects(cluster).clock(clock).bindInline(true).build()) {
      cluster.attach(s);
      cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      cluster.createPod(MakePod.named("p").req("cpu", "1").obj());
      while (s.scheduleOne(Duration.ZERO)) {}
      assertNull(cluster.pod("default", "p").spec.nodeName);
      assertEquals("running Bind plugin \"DefaultBinder\": connection refused", cluster.events("default", "p").get(0).message());
      assertEquals(0, s.cache().snapshot().get("node-1").requested().milliCpu, "the assumption was forgotten");
      clock.advance(Duration.ofSeconds(1));
      s.queue().flushBackoffQCompleted();
      while (s.scheduleOne(Duration.ZERO)) {}
      assertEquals("node-1", cluster.pod("default", "p").spec.nodeName);
    }
  }

  /**
   * With 200 nodes and percentageOfNodesToScore 50, a cycle stops after 100 feasible nodes and the
   * next cycle starts where it stopped: consecutive pods land in alternating halves.
   */
  @Test
  void eachCycleEvaluatesOnlyPercentageOfNodesToScoreStartingWhereTheLastStopped() throws Exception {
    var cfg = kubelab.scheduler.config.SchedulerConfiguration.defaults();
    cfg.percentageOfNodesToScore = 50;
    cfg.parallelism = 1;
    try (SchedulerEnv env = new SchedulerEnv(cfg)) {
      for (int i = 0; i < 200; i++) env.cluster.addNode(MakeNode.named(String.format("node-%03d", i)).capacity("4", "8Gi", 110).obj());
      for (int i = 0; i < 4; i++) {
        env.cluster.createPod(MakePod.named("p" + i).req("cpu", "100m").obj());
        env.run();
      }
      for (int i = 0; i < 4; i++) {
        int n = Integer.parseInt(env.nodeOf("p" + i).substring(5));
        assertEquals(i % 2 == 0, n < 100, "p" + i + " on " + env.nodeOf("p" + i));
      }
    }
  }

  @Test
  void numFeasibleNodesToFindIsAdaptive() {
    assertEquals(50, Scheduler.numFeasibleNodesToFind(null, 0, 50), "below 100 nodes: all");
    assertEquals(100, Scheduler.numFeasibleNodesToFind(null, 0, 150), "never fewer than 100");
    assertEquals(420, Scheduler.numFeasibleNodesToFind(null, 0, 1000), "50 − 1000/125 = 42%");
    assertEquals(500, Scheduler.numFeasibleNodesToFind(null, 0, 5000), "50 − 40 = 10%");
    assertEquals(750, Scheduler.numFeasibleNodesToFind(null, 0, 15000), "at least 5%");
    assertEquals(2500, Scheduler.numFeasibleNodesToFind(null, 50, 5000), "configured 50%");
    assertEquals(5000, Scheduler.numFeasibleNodesToFind(100, 50, 5000), "the profile overrides the global value");
  }
}
