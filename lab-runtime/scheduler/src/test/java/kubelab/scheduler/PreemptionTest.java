package kubelab.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubelab.api.meta.LabelSelector;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

/** Priority and preemption (DefaultPreemption, v1.32): victims, nomination, graceful deletion, PDBs. */
class PreemptionTest {
  @Test
  void aHighPriorityPodEvictsTheFewestLowestPriorityPodsAndIsNominated() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.gracefulDeletion(true);
      env.cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("low-a").node("node-1").priority(0).req("cpu", "1").startTime("2026-01-01T00:00:00Z").obj());
      env.cluster.createPod(MakePod.named("low-b").node("node-1").priority(0).req("cpu", "1").startTime("2026-01-01T00:05:00Z").obj());
      env.cluster.createPod(MakePod.named("vip").priority(1000000).req("cpu", "1").obj());
      env.run();

      // The preemptor is not bound in this cycle: it is nominated and waits for its victim.
      assertNull(env.nodeOf("vip"));
      assertEquals("node-1", env.cluster.pod("default", "vip").status.nominatedNodeName);
      assertEquals("0/1 nodes are available: 1 Insufficient cpu.", env.lastMessage("vip", "FailedScheduling"),
          "successful preemption adds no preemption part");
      // One victim suffices; of two equal-priority pods the one that started later goes.
      assertNotNull(env.cluster.pod("default", "low-b").metadata.deletionTimestamp, "low-b is Terminating");
      assertNull(env.cluster.pod("default", "low-a").metadata.deletionTimestamp);
      String vipUid = env.cluster.pod("default", "vip").metadata.uid;
      assertEquals("Preempted by pod " + vipUid + " on node node-1", env.lastMessage("low-b", "Preempted"));
      var dt = env.condition("low-b", "DisruptionTarget");
      assertEquals("PreemptionByScheduler", dt.reason);
      assertEquals("default-scheduler: preempting to accommodate a higher priority pod", dt.message);

      // While the victim terminates, a low-priority newcomer must not take the room made for vip.
      env.cluster.finishTerminating();
      env.cluster.createPod(MakePod.named("sneaky").priority(0).req("cpu", "1").obj());
      env.run();
      assertNull(env.nodeOf("sneaky"), "the nominated pod's room is reserved");
      env.retryAfter(Duration.ofSeconds(1));
      assertEquals("node-1", env.nodeOf("vip"));
      assertNull(env.nodeOf("sneaky"));
    }
  }

  @Test
  void theNodeWithTheLowerPriorityVictimsIsChosen() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-a").capacity("1", "4Gi", 110).obj());
      env.cluster.addNode(MakeNode.named("node-b").capacity("1", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("mid").node("node-a").priority(100).req("cpu", "1").obj());
      env.cluster.createPod(MakePod.named("low").node("node-b").priority(10).req("cpu", "1").obj());
      env.cluster.createPod(MakePod.named("vip").priority(1000).req("cpu", "1").obj());
      env.run();
      assertEquals("node-b", env.cluster.pod("default", "vip").status.nominatedNodeName);
      assertNull(env.cluster.pod("default", "low"), "deleted (grace period not simulated)");
      assertNotNull(env.cluster.pod("default", "mid"));
      env.retryAfter(Duration.ofSeconds(1));
      assertEquals("node-b", env.nodeOf("vip"));
    }
  }

  @Test
  void aPodDisruptionBudgetProtectsItsPodWhenAnotherVictimWillDo() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      // Without the PDB, db (started later, so less important) would be the victim.
      env.cluster.createPod(MakePod.named("cache").node("node-1").label("app", "cache").req("cpu", "1").startTime("2026-01-01T00:00:00Z").obj());
      env.cluster.createPod(MakePod.named("db").node("node-1").label("app", "db").req("cpu", "1").startTime("2026-01-01T00:09:00Z").obj());
      PodDisruptionBudget pdb = new PodDisruptionBudget();
      pdb.metadata.name = "db";
      pdb.spec.minAvailable = 1;
      pdb.spec.selector = new LabelSelector();
      pdb.spec.selector.matchLabels = Map.of("app", "db");
      env.cluster.addPdb(pdb);
      env.cluster.createPod(MakePod.named("vip").priority(1000).req("cpu", "1").obj());
      env.run();
      assertNull(env.cluster.pod("default", "cache"), "the unprotected pod is the victim");
      assertNotNull(env.cluster.pod("default", "db"));
    }
  }

  @Test
  void withoutThePdbTheLaterStartedPodIsTheVictim() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("cache").node("node-1").label("app", "cache").req("cpu", "1").startTime("2026-01-01T00:00:00Z").obj());
      env.cluster.createPod(MakePod.named("db").node("node-1").label("app", "db").req("cpu", "1").startTime("2026-01-01T00:09:00Z").obj());
      env.cluster.createPod(MakePod.named("vip").priority(1000).req("cpu", "1").obj());
      env.run();
      assertNull(env.cluster.pod("default", "db"));
      assertNotNull(env.cluster.pod("default", "cache"));
    }
  }

  @Test
  void preemptionPolicyNeverWaitsInsteadOfEvicting() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("low").node("node-1").req("cpu", "1").obj());
      env.cluster.createPod(MakePod.named("polite").priority(1000).preemptionPolicy("Never").req("cpu", "1").obj());
      env.run();
      assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
          env.lastMessage("polite", "FailedScheduling"));
      assertNotNull(env.cluster.pod("default", "low"));
    }
  }

  @Test
  void equalPriorityPodsAreNeverVictims() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("peer").node("node-1").priority(500).req("cpu", "1").obj());
      env.cluster.createPod(MakePod.named("p").priority(500).req("cpu", "1").obj());
      env.run();
      assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
          + "1 No preemption victims found for incoming pod.", env.lastMessage("p", "FailedScheduling"));
    }
  }

  @Test
  void evictingEverythingThatMightHelpIsNotEnoughOnATooSmallNode() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("low").node("node-1").req("cpu", "500m").obj());
      env.cluster.createPod(MakePod.named("huge").priority(1000).req("cpu", "2").obj());
      env.run();
      assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
          env.lastMessage("huge", "FailedScheduling"));
      assertNotNull(env.cluster.pod("default", "low"), "nothing is evicted in vain");
    }
  }

  @Test
  void theQueuePopsTheHigherPriorityPodFirst() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
      env.cluster.createPod(MakePod.named("early-low").req("cpu", "1").obj());
      env.cluster.createPod(MakePod.named("late-high").priority(1000000).req("cpu", "1").obj());
      env.run();
      assertEquals("node-1", env.nodeOf("late-high"));
      assertTrue(env.lastMessage("early-low", "FailedScheduling").startsWith("0/1 nodes are available: 1 Insufficient cpu."));
      assertEquals(List.of(), env.events("late-high").stream().filter(e -> e.reason().equals("FailedScheduling")).toList());
    }
  }
}
