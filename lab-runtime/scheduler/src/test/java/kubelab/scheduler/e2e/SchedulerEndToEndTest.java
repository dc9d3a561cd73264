package kubelab.scheduler.e2e;

import static kubelab.scheduler.e2e.Kubectl.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
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
 * The scheduler against a real API server, driven by the real kubectl: Node objects created
 * through the API with labels, taints and capacity (no kubelet), pods created with kubectl, and
 * spec.nodeName, events and conditions read back with kubectl. Covers every Pending cause the
 * seeds list, with kube-scheduler v1.32's exact messages.
 */
@Tag("slow")
class SchedulerEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  TestApiServer api;
  KubeClient client;
  SchedulerServer scheduler;
  Kubectl kubectl;

  @BeforeEach
  void start() throws Exception {
    Requires.command("kubectl");
    api = TestApiServer.start();
    client = KubeClient.fromKubeconfig(api.kubeconfig());
    kubectl = new Kubectl(api.kubeconfig());
    scheduler = SchedulerServer.builder(client).identity("scheduler-a")
        .leaseTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500)).build();
    scheduler.start(Duration.ofSeconds(20));
    assertTrue(eventually(scheduler::isLeader, b -> b, WAIT), "the only scheduler becomes leader");
  }

  @AfterEach
  void stop() {
    if (scheduler != null) scheduler.close();
    if (client != null) client.close();
    if (api != null) api.close();
  }

  static String node(String name, String cpu, String labels, String taints) {
    return """
        apiVersion: v1
        kind: Node
        metadata:
          name: %s
          labels:
            kubernetes.io/hostname: %s
        %s
        spec:
        %s
        status:
          capacity: {cpu: "%s", memory: 8Gi, pods: "110"}
          allocatable: {cpu: "%s", memory: 8Gi, pods: "110"}
        ---
        """.formatted(name, name, labels.isEmpty() ? "" : labels.indent(4).stripTrailing(),
            taints.isEmpty() ? "  {}" : "  taints:\n" + taints.indent(2).stripTrailing(), cpu, cpu);
  }

  static String pod(String name, String extraSpec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          labels: {app: web}
        spec:
          containers:
          - name: c
            image: registry.k8s.io/pause:3.10
            resources:
              requests: {cpu: 100m, memory: 64Mi}
        %s
        ---
        """.formatted(name, extraSpec.isEmpty() ? "" : extraSpec.indent(2).stripTrailing());
  }

  String awaitBound(String pod) {
    return eventually(() -> kubectl.nodeName(pod), s -> !s.isEmpty(), WAIT);
  }

  String awaitFailed(String pod) {
    List<String> m = eventually(() -> kubectl.events(pod, "FailedScheduling"), l -> !l.isEmpty(), WAIT);
    assertTrue(!m.isEmpty(), "a FailedScheduling event for " + pod);
    return m.get(m.size() - 1);
  }

  String condition(String pod, String field) {
    return kubectl.run(null, "get", "pod", pod, "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")]." + field + "}");
  }

  @Test
  void kubectlCreatesAPodAndTheSchedulerBindsItWithAScheduledEvent() {
    kubectl.apply(node("node-1", "1", "", "") + node("node-2", "4", "", "")
        + node("node-3", "4", "", "- {key: dedicated, value: gpu, effect: NoSchedule}"));
    kubectl.apply(pod("web-0", "").replace("cpu: 100m", "cpu: \"2\""));
    assertEquals("node-2", awaitBound("web-0"));
    List<String> scheduled = eventually(() -> kubectl.events("web-0", "Scheduled"), l -> !l.isEmpty(), WAIT);
    assertEquals(List.of("Successfully assigned default/web-0 to node-2"), scheduled);
    assertEquals("True", condition("web-0", "status"));
  }

  @Test
  void insufficientCpuWithTheFailedSchedulingEventAndTheSameMessageInTheCondition() {
    kubectl.apply(node("node-1", "2", "", "") + node("node-2", "2", "", "") + node("node-3", "2", "", ""));
    kubectl.apply(pod("big", "").replace("cpu: 100m", "cpu: \"3\""));
    String want = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
        + "3 No preemption victims found for incoming pod.";
    assertEquals(want, awaitFailed("big"));
    assertEquals("Unschedulable", condition("big", "reason"));
    assertEquals(want, condition("big", "message"));
    assertEquals("", kubectl.nodeName("big"));
  }

  @Test
  void aNodeSelectorMismatchIsFixedByLabellingANode() {
    kubectl.apply(node("node-1", "2", "", "") + node("node-2", "2", "", "") + node("node-3", "2", "", ""));
    kubectl.apply(pod("gpu-job", "nodeSelector: {accelerator: nvidia-tesla}"));
    assertEquals("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
        + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", awaitFailed("gpu-job"));
    kubectl.run(null, "label", "node", "node-3", "accelerator=nvidia-tesla");
    assertEquals("node-3", awaitBound("gpu-job"));
  }

  @Test
  void untoleratedTaintsThenRemovingOne() {
    String taint = "- {key: maintenance, value: \"true\", effect: NoSchedule}";
    kubectl.apply(node("node-1", "2", "", taint) + node("node-2", "2", "", taint) + node("node-3", "2", "", taint));
    kubectl.apply(pod("web", ""));
    assertEquals("0/3 nodes are available: 3 node(s) had untolerated taint {maintenance: true}. "
        + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", awaitFailed("web"));
    kubectl.run(null, "taint", "node", "node-2", "maintenance=true:NoSchedule-");
    assertEquals("node-2", awaitBound("web"));
  }

  @Test
  void aCordonedClusterSaysTheNodesWereUnschedulable() {
    kubectl.apply(node("node-1", "2", "", ""));
    kubectl.run(null, "cordon", "node-1");
    kubectl.apply(pod("web", ""));
    assertEquals("0/1 nodes are available: 1 node(s) were unschedulable. "
        + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", awaitFailed("web"));
    kubectl.run(null, "uncordon", "node-1");
    assertEquals("node-1", awaitBound("web"));
  }

  @Test
  void aPodNamingASchedulerThatDoesNotExistStaysPendingWithNoEvents() throws Exception {
    kubectl.apply(node("node-1", "2", "", ""));
    kubectl.apply(pod("orphan", "schedulerName: my-scheduler") + pod("normal", ""));
    assertEquals("node-1", awaitBound("normal"));
    Thread.sleep(1500); // give a (wrong) scheduler every chance to react
    assertEquals("", kubectl.nodeName("orphan"));
    assertEquals(List.of(), kubectl.events("orphan", "FailedScheduling"));
    assertEquals(List.of(), kubectl.events("orphan", "Scheduled"));
  }

  @Test
  void zoneTopologySpreadLeavesTheThirdReplicaPendingBesideATaintedZone() {
    kubectl.apply(node("node-1", "2", "topology.kubernetes.io/zone: a", "")
        + node("node-2", "2", "topology.kubernetes.io/zone: b", "")
        + node("node-3", "2", "topology.kubernetes.io/zone: c", "- {key: maintenance, value: \"true\", effect: NoSchedule}"));
    String spread = """
        topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: {matchLabels: {app: web}}""";
    kubectl.apply(pod("web-0", spread) + pod("web-1", spread) + pod("web-2", spread));
    List<String> pending = new ArrayList<>();
    List<String> bound = new ArrayList<>();
    for (String p : List.of("web-0", "web-1", "web-2")) {
      String n = eventually(() -> kubectl.nodeName(p), s -> !s.isEmpty(), Duration.ofSeconds(5));
      if (n.isEmpty()) pending.add(p);
      else bound.add(n);
    }
    assertEquals(1, pending.size(), "two replicas fit (zones a and b), the third would skew: " + bound);
    assertNotEquals(bound.get(0), bound.get(1));
    assertEquals("0/3 nodes are available: 1 node(s) had untolerated taint {maintenance: true}, "
        + "2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: "
        + "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
        awaitFailed(pending.get(0)));
  }

  @Test
  void requiredAntiAffinityOnTheZoneLeavesTheFourthReplicaPending() {
    kubectl.apply(node("node-1", "2", "topology.kubernetes.io/zone: a", "")
        + node("node-2", "2", "topology.kubernetes.io/zone: b", "")
        + node("node-3", "2", "topology.kubernetes.io/zone: c", ""));
    String anti = """
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: topology.kubernetes.io/zone
              labelSelector: {matchLabels: {app: web}}""";
    kubectl.apply(pod("web-0", anti) + pod("web-1", anti) + pod("web-2", anti));
    for (String p : List.of("web-0", "web-1", "web-2")) assertTrue(!awaitBound(p).isEmpty());
    kubectl.apply(pod("web-3", anti));
    assertEquals("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. "
        + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.", awaitFailed("web-3"));
  }
}
