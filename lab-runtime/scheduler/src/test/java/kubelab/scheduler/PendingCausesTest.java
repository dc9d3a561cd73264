package kubelab.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.meta.Condition;
import kubelab.api.storage.StorageClass;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

/**
 * Every reason a pod stays Pending that the seeds list (S0: 资源不够, selector/affinity, taints,
 * kube-scheduler未正常运行, zones/topology), with the exact FailedScheduling message kube-scheduler
 * v1.32 writes and the PodScheduled condition carrying the same message.
 */
class PendingCausesTest {
  static Node worker(String name) {
    return MakeNode.named(name).capacity("2", "4Gi", 110).obj();
  }

  static void threeWorkers(SchedulerEnv env) {
    for (int i = 1; i <= 3; i++) env.cluster.addNode(worker("node-" + i));
  }

  void assertPending(SchedulerEnv env, String pod, String message) {
    assertNull(env.nodeOf(pod), pod + " must stay Pending");
    assertEquals(message, env.lastMessage(pod, "FailedScheduling"));
    var e = env.events(pod).get(env.events(pod).size() - 1);
    assertEquals("Warning", e.type());
    Condition c = env.condition(pod, "PodScheduled");
    assertNotNull(c);
    assertEquals("False", c.status);
    assertEquals("Unschedulable", c.reason);
    assertEquals(message, c.message);
  }

  @Test
  void insufficientCpuOnEveryNode() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      env.cluster.createPod(MakePod.named("big").req("cpu", "3").obj());
      env.run();
      assertPending(env, "big", "0/3 nodes are available: 3 Insufficient cpu. "
          + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    }
  }

  @Test
  void insufficientCpuOnTheWorkerAndTheControlPlaneTaintOnTheOthers() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(worker("node-1"));
      for (String cp : new String[] {"cp-1", "cp-2"}) {
        env.cluster.addNode(MakeNode.named(cp).capacity("2", "4Gi", 110).taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").obj());
      }
      env.cluster.createPod(MakePod.named("filler").req("cpu", "1500m").obj());
      env.run();
      assertEquals("node-1", env.nodeOf("filler"));
      env.cluster.createPod(MakePod.named("web").req("cpu", "1").obj());
      env.run();
      // v1.32: the taint is unresolvable, so preemption only tries node-1 (and finds no lower-priority pod).
      assertPending(env, "web", "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
          + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
          + "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
    }
  }

  @Test
  void insufficientMemoryAndTooManyPodsAreCountedPerReason() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("small").capacity("4", "1Gi", 110).obj());
      env.cluster.addNode(MakeNode.named("full").capacity("4", "8Gi", 1).obj());
      env.cluster.createPod(MakePod.named("x").node("full").obj());
      env.cluster.createPod(MakePod.named("mem").req("memory", "2Gi").obj());
      env.run();
      assertPending(env, "mem", "0/2 nodes are available: 1 Insufficient memory, 1 Too many pods. "
          + "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
    }
  }

  @Test
  void nodeSelectorMismatchThenLabellingANodeSchedulesThePod() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      env.cluster.createPod(MakePod.named("gpu-job").nodeSelector("accelerator", "nvidia-tesla").obj());
      env.run();
      assertPending(env, "gpu-job", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
          + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
      Node labelled = MakeNode.named("node-3").capacity("2", "4Gi", 110).label("accelerator", "nvidia-tesla").obj();
      env.cluster.updateNode(labelled);
      env.retryAfter(Duration.ofSeconds(1));
      assertEquals("node-3", env.nodeOf("gpu-job"));
    }
  }

  @Test
  void requiredNodeAffinityWithGt() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("small").capacity("2", "4Gi", 110).label("cores", "2").obj());
      env.cluster.addNode(MakeNode.named("large").capacity("8", "4Gi", 110).label("cores", "8").obj());
      env.cluster.createPod(MakePod.named("p").requiredNodeAffinity("cores", "Gt", "4").obj());
      env.run();
      assertEquals("large", env.nodeOf("p"));
    }
  }

  @Test
  void untoleratedTaintsOnEveryWorker() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      for (int i = 1; i <= 3; i++) {
        env.cluster.addNode(MakeNode.named("node-" + i).capacity("2", "4Gi", 110).taint("maintenance", "true", "NoSchedule").obj());
      }
      env.cluster.createPod(MakePod.named("web").obj());
      env.run();
      assertPending(env, "web", "0/3 nodes are available: 3 node(s) had untolerated taint {maintenance: true}. "
          + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
      env.cluster.updateNode(worker("node-2")); // kubectl taint node node-2 maintenance=true:NoSchedule-
      env.retryAfter(Duration.ofSeconds(1));
      assertEquals("node-2", env.nodeOf("web"));
    }
  }

  @Test
  void aCordonedNodeTakesNoNewPods() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(MakeNode.named("node-1").capacity("2", "4Gi", 110).unschedulable().obj());
      env.cluster.createPod(MakePod.named("web").obj());
      env.run();
      assertPending(env, "web", "0/1 nodes are available: 1 node(s) were unschedulable. "
          + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    }
  }

  @Test
  void aPodNamingASchedulerThatDoesNotExistStaysPendingWithNoEventAtAll() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      env.cluster.createPod(MakePod.named("web").schedulerName("my-scheduler").obj());
      env.run();
      assertNull(env.nodeOf("web"));
      assertEquals(List.of(), env.events("web"), "no scheduler looks at it, so nothing is said");
      assertEquals(0, env.scheduler.queue().size());
    }
  }

  @Test
  void topologySpreadLeavesTheThirdReplicaPendingWhenATaintedNodeCountsAsAnEmptyDomain() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(worker("node-1"));
      env.cluster.addNode(worker("node-2"));
      env.cluster.addNode(MakeNode.named("node-3").capacity("2", "4Gi", 110).taint("maintenance", "true", "NoSchedule").obj());
      for (int i = 0; i < 3; i++) {
        env.cluster.createPod(MakePod.named("web-" + i).label("app", "web")
            .spread(1, "kubernetes.io/hostname", "DoNotSchedule", Map.of("app", "web")).obj());
        env.run();
      }
      assertNotNull(env.nodeOf("web-0"));
      assertNotNull(env.nodeOf("web-1"));
      assertPending(env, "web-2", "0/3 nodes are available: 1 node(s) had untolerated taint {maintenance: true}, "
          + "2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: "
          + "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");
    }
  }

  @Test
  void fiveReplicasSpreadTwoTwoOneOverThreeNodes() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      for (int i = 0; i < 5; i++) {
        env.cluster.createPod(MakePod.named("web-" + i).label("app", "web")
            .spread(1, "kubernetes.io/hostname", "DoNotSchedule", Map.of("app", "web")).obj());
      }
      env.run();
      Map<String, Integer> per = new HashMap<>();
      for (int i = 0; i < 5; i++) per.merge(env.nodeOf("web-" + i), 1, Integer::sum);
      assertEquals(List.of(1, 2, 2), per.values().stream().sorted().toList());
    }
  }

  @Test
  void zoneAntiAffinityLeavesTheFourthReplicaPending() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      for (int i = 0; i < 4; i++) {
        env.cluster.createPod(MakePod.named("web-" + i).label("app", "web")
            .requiredPodAntiAffinity("kubernetes.io/hostname", Map.of("app", "web")).obj());
      }
      env.run();
      for (int i = 0; i < 3; i++) assertNotNull(env.nodeOf("web-" + i));
      assertPending(env, "web-3", "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. "
          + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    }
  }

  @Test
  void hostPortConflictsLeaveTheFourthReplicaPending() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      for (int i = 0; i < 4; i++) env.cluster.createPod(MakePod.named("proxy-" + i).hostPort(8080).obj());
      env.run();
      assertPending(env, "proxy-3", "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. "
          + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    }
  }

  @Test
  void anUnboundImmediateClaimIsReportedOnceNotPerNode() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      StorageClass sc = new StorageClass();
      sc.metadata.name = "fast-ssd";
      sc.volumeBindingMode = "Immediate";
      env.cluster.addStorageClass(sc);
      PersistentVolumeClaim c = new PersistentVolumeClaim();
      c.metadata.name = "data-db-0";
      c.spec.storageClassName = "fast-ssd";
      env.cluster.addPvc(c);
      env.cluster.createPod(MakePod.named("db-0").pvc("data-db-0").obj());
      env.run();
      assertPending(env, "db-0", "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
          + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    }
  }

  @Test
  void aPendingPodIsScheduledWhenANodeIsAdded() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.addNode(worker("node-1"));
      env.cluster.createPod(MakePod.named("big").req("cpu", "3").obj());
      env.run();
      assertNull(env.nodeOf("big"));
      assertTrue(env.scheduler.queue().snapshot().unschedulable().get(0).rejectedBy().contains("NodeResourcesFit"));
      env.cluster.addNode(MakeNode.named("node-big").capacity("8", "16Gi", 110).obj()); // event NodeAdd
      env.retryAfter(Duration.ofSeconds(1));
      assertEquals("node-big", env.nodeOf("big"));
    }
  }

  @Test
  void noNodesAtAllIsASchedulerError() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      env.cluster.createPod(MakePod.named("web").obj());
      env.run();
      assertEquals("no nodes available to schedule pods", env.lastMessage("web", "FailedScheduling"));
      assertEquals("SchedulerError", env.condition("web", "PodScheduled").reason);
    }
  }

  @Test
  void aGatedPodGetsNoEventUntilItsGateIsRemoved() throws Exception {
    try (SchedulerEnv env = new SchedulerEnv()) {
      threeWorkers(env);
      env.cluster.createPod(MakePod.named("g").schedulingGate("example.com/quota").obj());
      env.run();
      assertEquals(List.of(), env.events("g"));
      env.cluster.updatePod(MakePod.named("g").uid(env.cluster.pod("default", "g").metadata.uid).obj());
      env.run();
      assertNotNull(env.nodeOf("g"));
    }
  }
}
