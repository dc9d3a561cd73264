package kubelab.scheduler.plugins.nodeaffinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
  static final Node SSD = MakeNode.named("n").label("disktype", "ssd").label("cores", "8").label("zone", "a").obj();

  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of("a pod without selector or affinity fits any node", MakePod.named("p").obj(), true),
        Arguments.of("nodeSelector matches an equal label", MakePod.named("p").nodeSelector("disktype", "ssd").obj(), true),
        Arguments.of("nodeSelector with another value does not match", MakePod.named("p").nodeSelector("disktype", "hdd").obj(), false),
        Arguments.of("nodeSelector with a missing label does not match", MakePod.named("p").nodeSelector("gpu", "true").obj(), false),
        Arguments.of("In matches one of the values", MakePod.named("p").requiredNodeAffinity("zone", "In", "b", "a").obj(), true),
        Arguments.of("In fails for other values", MakePod.named("p").requiredNodeAffinity("zone", "In", "b", "c").obj(), false),
        Arguments.of("NotIn matches a missing label", MakePod.named("p").requiredNodeAffinity("gpu", "NotIn", "x").obj(), true),
        Arguments.of("NotIn fails when the label has a listed value", MakePod.named("p").requiredNodeAffinity("zone", "NotIn", "a").obj(), false),
        Arguments.of("Exists matches a present label", MakePod.named("p").requiredNodeAffinity("disktype", "Exists").obj(), true),
        Arguments.of("DoesNotExist fails for a present label", MakePod.named("p").requiredNodeAffinity("disktype", "DoesNotExist").obj(), false),
        Arguments.of("Gt compares integers: 8 > 4", MakePod.named("p").requiredNodeAffinity("cores", "Gt", "4").obj(), true),
        Arguments.of("Gt is strict: 8 > 8 fails", MakePod.named("p").requiredNodeAffinity("cores", "Gt", "8").obj(), false),
        Arguments.of("Lt compares integers: 8 < 16", MakePod.named("p").requiredNodeAffinity("cores", "Lt", "16").obj(), true),
        Arguments.of("Gt on a non-numeric label fails", MakePod.named("p").requiredNodeAffinity("zone", "Gt", "1").obj(), false),
        Arguments.of("required terms are ORed: one matching term is enough",
            MakePod.named("p").requiredNodeAffinity("zone", "In", "b").requiredNodeAffinity("disktype", "In", "ssd").obj(), true),
        Arguments.of("nodeSelector and affinity must both hold",
            MakePod.named("p").nodeSelector("disktype", "ssd").requiredNodeAffinity("zone", "In", "b").obj(), false),
        Arguments.of("matchFields metadata.name In pins the node", MakePod.named("p").requiredNodeName("n").obj(), true),
        Arguments.of("matchFields naming another node excludes this one", MakePod.named("p").requiredNodeName("other").obj(), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(String rule, Pod pod, boolean fits) {
    PluginHarness h = new PluginHarness(List.of(SSD, MakeNode.named("other").obj()), List.of());
    Status s = h.filter(h.plugin(NodeAffinity.NAME), pod, "n");
    if (fits) {
      assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    }
  }

  @Test
  void aMismatchIsReportedWithKubernetesWording() {
    PluginHarness h = new PluginHarness(List.of(SSD), List.of());
    Status s = h.filter(h.plugin(NodeAffinity.NAME), MakePod.named("p").nodeSelector("disktype", "nvme").obj(), "n");
    assertEquals(List.of("node(s) didn't match Pod's node affinity/selector"), s.reasons());
  }

  @Test
  void preFilterRestrictsTheCycleToTheNamedNodes() {
    PluginHarness h = new PluginHarness(List.of(SSD, MakeNode.named("other").obj()), List.of());
    NodeAffinity pl = (NodeAffinity) h.plugin(NodeAffinity.NAME);
    Pod pod = MakePod.named("p").requiredNodeName("other").obj();
    CycleState st = h.state(pod);
    assertEquals(Status.Code.SUCCESS, pl.preFilter(st, pod).code());
    assertEquals(Set.of("other"), st.restrictedNodes());
  }

  @Test
  void preFilterSkipsPodsWithoutSelectorOrRequiredAffinity() {
    PluginHarness h = new PluginHarness(List.of(SSD), List.of());
    Pod pod = MakePod.named("p").preferredNodeAffinity(10, "zone", "In", "a").obj();
    assertEquals(Status.Code.SKIP, ((NodeAffinity) h.plugin(NodeAffinity.NAME)).preFilter(h.state(pod), pod).code());
  }

  static Stream<Arguments> scoreCases() {
    return Stream.of(
        Arguments.of("without preferred terms every node scores 0", MakePod.named("p").obj(), new long[] {0, 0, 0}),
        Arguments.of("the node matching the preferred term scores 100, the others 0",
            MakePod.named("p").preferredNodeAffinity(80, "zone", "In", "a").obj(), new long[] {100, 0, 0}),
        Arguments.of("weights add up and the best node is scaled to 100",
            MakePod.named("p").preferredNodeAffinity(80, "zone", "In", "a").preferredNodeAffinity(20, "disktype", "In", "ssd").obj(),
            new long[] {100, 20, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void score(String rule, Pod pod, long[] want) {
    List<Node> nodes = List.of(
        MakeNode.named("a").label("zone", "a").label("disktype", "ssd").obj(),
        MakeNode.named("b").label("zone", "b").label("disktype", "ssd").obj(),
        MakeNode.named("c").label("zone", "c").obj());
    PluginHarness h = new PluginHarness(nodes, List.of());
    assertArrayEquals(want, h.normalizedScores(h.plugin(NodeAffinity.NAME), pod, "a", "b", "c"));
  }
}
