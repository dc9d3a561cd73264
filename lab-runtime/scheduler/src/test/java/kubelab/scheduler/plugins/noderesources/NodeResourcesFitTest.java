package kubelab.scheduler.plugins.noderesources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kubelab.api.core.Container;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.api.core.ResourceRequirements;
import kubelab.api.resource.Quantity;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesFitTest {
  static final Node NODE = MakeNode.named("n").capacity("2", "4Gi", 3).resource("ephemeral-storage", "10Gi")
      .resource("example.com/gpu", "1").obj();

  static Pod running(String name, String cpu, String mem) {
    return MakePod.named(name).node("n").req("cpu", cpu).req("memory", mem).obj();
  }

  static Pod withInit(String initCpu, String cpu) {
    Pod p = MakePod.named("p").req("cpu", cpu).obj();
    Container init = new Container();
    init.name = "init";
    init.resources = new ResourceRequirements();
    init.resources.requests = Map.of("cpu", Quantity.parse(initCpu));
    p.spec.initContainers = List.of(init);
    return p;
  }

  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of("a pod that fits in the free requests fits", MakePod.named("p").req("cpu", "1").obj(), List.of(running("a", "500m", "1Gi")), List.of()),
        Arguments.of("requests, not usage, fill a node: 1.5 + 1 CPU do not fit in 2",
            MakePod.named("p").req("cpu", "1").obj(), List.of(running("a", "1500m", "1Gi")), List.of("Insufficient cpu")),
        Arguments.of("exactly the free amount fits", MakePod.named("p").req("cpu", "500m").obj(), List.of(running("a", "1500m", "1Gi")), List.of()),
        Arguments.of("every short resource is reported",
            MakePod.named("p").req("cpu", "3").req("memory", "5Gi").obj(), List.of(), List.of("Insufficient cpu", "Insufficient memory")),
        Arguments.of("ephemeral-storage counts", MakePod.named("p").req("ephemeral-storage", "11Gi").obj(), List.of(), List.of("Insufficient ephemeral-storage")),
        Arguments.of("extended resources count by name", MakePod.named("p").req("example.com/gpu", "2").obj(), List.of(), List.of("Insufficient example.com/gpu")),
        Arguments.of("an extended resource the node lacks is insufficient", MakePod.named("p").req("example.com/fpga", "1").obj(), List.of(), List.of("Insufficient example.com/fpga")),
        Arguments.of("the pod count is a resource too",
            MakePod.named("p").obj(), List.of(running("a", "0", "0"), running("b", "0", "0"), running("c", "0", "0")), List.of("Too many pods")),
        Arguments.of("a pod without requests fits however full the node is",
            MakePod.named("p").obj(), List.of(running("a", "2", "4Gi")), List.of()),
        Arguments.of("an init container's request is a peak of its own: max(init, sum of containers)",
            withInit("1500m", "100m"), List.of(running("a", "1", "0")), List.of("Insufficient cpu")),
        Arguments.of("a small init container does not add to the containers", withInit("100m", "1"), List.of(running("a", "1", "0")), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(String rule, Pod pod, List<Pod> existing, List<String> reasons) {
    PluginHarness h = new PluginHarness(List.of(NODE), existing);
    Status s = h.filter(h.plugin(NodeResourcesFit.NAME), pod, "n");
    if (reasons.isEmpty()) {
      assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE, s.code(), "resources can be freed by preemption");
      assertEquals(reasons, s.reasons());
    }
  }

  @Test
  void ignoredResourcesAreNotChecked() {
    PluginHarness h = new PluginHarness(List.of(NODE), List.of());
    Pod pod = MakePod.named("p").req("example.com/fpga", "1").obj();
    var pl = h.plugin(NodeResourcesFit.NAME, Map.of("ignoredResourceGroups", List.of("example.com")));
    assertEquals(Status.Code.SUCCESS, h.filter(pl, pod, "n").code());
  }

  // ---- LeastAllocated: (allocatable − requested) × 100 / allocatable, averaged over cpu and memory

  static Stream<Arguments> leastAllocatedCases() {
    Node n = MakeNode.named("n").capacity("10", "10Gi", 110).obj();
    return Stream.of(
        Arguments.of("an empty node scores close to 100 (the pod's own requests count)",
            n, List.of(), MakePod.named("p").req("cpu", "1m").req("memory", "1").obj(), 99L),
        Arguments.of("a node becoming full scores 0",
            n, List.of(), MakePod.named("p").req("cpu", "10").req("memory", "10Gi").obj(), 0L),
        Arguments.of("a node 10% requested after placing the pod scores 90",
            n, List.of(), MakePod.named("p").req("cpu", "1").req("memory", "1Gi").obj(), 90L),
        Arguments.of("a node 50% requested scores 50",
            n, List.of(running2("a", "4", "4Gi")), MakePod.named("p").req("cpu", "1").req("memory", "1Gi").obj(), 50L),
        Arguments.of("a node 90% requested scores 10",
            n, List.of(running2("a", "8", "8Gi")), MakePod.named("p").req("cpu", "1").req("memory", "1Gi").obj(), 10L),
        Arguments.of("memory counts as much as CPU: 0% CPU and 100% memory average to 50",
            n, List.of(running2("a", "0", "9Gi")), MakePod.named("p").req("cpu", "1m").req("memory", "1Gi").obj(), 49L),
        Arguments.of("a container without requests counts as 100m CPU (99) and 200Mi memory (98)",
            n, List.of(), MakePod.named("p").obj(), 98L),
        Arguments.of("an explicit zero request stays zero",
            n, List.of(), MakePod.named("p").req("cpu", "0").req("memory", "0").obj(), 100L));
  }

  static Pod running2(String name, String cpu, String mem) {
    return MakePod.named(name).node("n").req("cpu", cpu).req("memory", mem).obj();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leastAllocatedCases")
  void leastAllocated(String rule, Node node, List<Pod> existing, Pod pod, long want) {
    PluginHarness h = new PluginHarness(List.of(node), existing);
    assertArrayEquals(new long[] {want}, h.rawScores(h.plugin(NodeResourcesFit.NAME), pod, "n"));
  }

  @Test
  void leastAllocatedFormulaMultipliesBeforeDividing() {
    assertEquals(90, LeastAllocated.leastRequestedScore(100, 1000));
    assertEquals(33, LeastAllocated.leastRequestedScore(2, 3));
    assertEquals(0, LeastAllocated.leastRequestedScore(11, 10), "over-committed scores 0");
    assertEquals(0, LeastAllocated.leastRequestedScore(0, 0));
  }

  @Test
  void mostAllocatedPrefersTheFullerNode() {
    Node a = MakeNode.named("a").capacity("10", "10Gi", 110).obj();
    Node b = MakeNode.named("b").capacity("10", "10Gi", 110).obj();
    Pod onA = MakePod.named("x").node("a").req("cpu", "8").req("memory", "8Gi").obj();
    PluginHarness h = new PluginHarness(List.of(a, b), List.of(onA));
    var pl = h.plugin(NodeResourcesFit.NAME, Map.of("scoringStrategy", Map.of("type", "MostAllocated")));
    assertArrayEquals(new long[] {90, 10}, h.rawScores(pl, MakePod.named("p").req("cpu", "1").req("memory", "1Gi").obj(), "a", "b"));
  }

  @Test
  void resourceWeightsChangeTheAverage() {
    Node n = MakeNode.named("n").capacity("10", "10Gi", 110).obj();
    PluginHarness h = new PluginHarness(List.of(n), List.of(running2("a", "0", "9Gi")));
    var pl = h.plugin(NodeResourcesFit.NAME, Map.of("scoringStrategy",
        Map.of("resources", List.of(Map.of("name", "cpu", "weight", 3), Map.of("name", "memory", "weight", 1)))));
    // cpu 99 (1m of 10), memory 0 → (99×3 + 0×1) / 4 = 74
    assertArrayEquals(new long[] {74}, h.rawScores(pl, MakePod.named("p").req("cpu", "1m").req("memory", "1Gi").obj(), "n"));
  }

  @Test
  void anUnknownStrategyIsRejectedWithItsName() {
    PluginHarness h = new PluginHarness(List.of(NODE), List.of());
    var e = assertThrows(IllegalArgumentException.class,
        () -> h.plugin(NodeResourcesFit.NAME, Map.of("scoringStrategy", Map.of("type", "Random"))));
    assertEquals("scoringStrategy.type: \"Random\" is not supported (LeastAllocated or MostAllocated)", e.getMessage());
  }
}
