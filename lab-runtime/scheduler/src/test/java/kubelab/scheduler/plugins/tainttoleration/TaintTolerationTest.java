package kubelab.scheduler.plugins.tainttoleration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {
  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of("a node without taints takes any pod",
            MakeNode.named("n").obj(), MakePod.named("p").obj(), null),
        Arguments.of("a NoSchedule taint repels a pod without tolerations, naming key and value",
            MakeNode.named("n").taint("dedicated", "gpu", "NoSchedule").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {dedicated: gpu}"),
        Arguments.of("the control-plane taint has an empty value, printed as {key: }",
            MakeNode.named("n").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
        Arguments.of("a NoExecute taint repels too",
            MakeNode.named("n").taint("k", "v", "NoExecute").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {k: v}"),
        Arguments.of("a PreferNoSchedule taint does not filter",
            MakeNode.named("n").taint("k", "v", "PreferNoSchedule").obj(), MakePod.named("p").obj(), null),
        Arguments.of("Equal with the same key, value and effect tolerates",
            MakeNode.named("n").taint("k", "v", "NoSchedule").obj(),
            MakePod.named("p").toleration("k", "Equal", "v", "NoSchedule").obj(), null),
        Arguments.of("Equal with another value does not tolerate",
            MakeNode.named("n").taint("k", "v", "NoSchedule").obj(),
            MakePod.named("p").toleration("k", "Equal", "w", "NoSchedule").obj(), "node(s) had untolerated taint {k: v}"),
        Arguments.of("the operator defaults to Equal",
            MakeNode.named("n").taint("k", "v", "NoSchedule").obj(),
            MakePod.named("p").toleration("k", null, "v", "NoSchedule").obj(), null),
        Arguments.of("Exists ignores the value",
            MakeNode.named("n").taint("k", "anything", "NoSchedule").obj(),
            MakePod.named("p").toleration("k", "Exists", null, "NoSchedule").obj(), null),
        Arguments.of("an empty key with Exists tolerates every taint",
            MakeNode.named("n").taint("a", "1", "NoSchedule").taint("b", "2", "NoExecute").obj(),
            MakePod.named("p").toleration(null, "Exists", null, null).obj(), null),
        Arguments.of("an empty effect matches every effect of the key",
            MakeNode.named("n").taint("k", "v", "NoSchedule").taint("k", "v", "NoExecute").obj(),
            MakePod.named("p").toleration("k", "Equal", "v", null).obj(), null),
        Arguments.of("a toleration for another effect does not tolerate",
            MakeNode.named("n").taint("k", "v", "NoExecute").obj(),
            MakePod.named("p").toleration("k", "Equal", "v", "NoSchedule").obj(), "node(s) had untolerated taint {k: v}"),
        Arguments.of("the first untolerated taint is the one named",
            MakeNode.named("n").taint("a", "1", "NoSchedule").taint("b", "2", "NoSchedule").obj(),
            MakePod.named("p").toleration("a", "Exists", null, null).obj(), "node(s) had untolerated taint {b: 2}"),
        Arguments.of("MemoryPressure=True acts as the memory-pressure taint (TaintNodesByCondition)",
            MakeNode.named("n").condition("MemoryPressure", "True").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }"),
        Arguments.of("DiskPressure=True acts as the disk-pressure taint",
            MakeNode.named("n").condition("DiskPressure", "True").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }"),
        Arguments.of("PIDPressure=True acts as the pid-pressure taint",
            MakeNode.named("n").condition("PIDPressure", "True").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {node.kubernetes.io/pid-pressure: }"),
        Arguments.of("Ready=False acts as the not-ready taint",
            MakeNode.named("n").condition("Ready", "False").obj(), MakePod.named("p").obj(),
            "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"),
        Arguments.of("a pod tolerating memory-pressure runs on a node under memory pressure",
            MakeNode.named("n").condition("MemoryPressure", "True").obj(),
            MakePod.named("p").toleration("node.kubernetes.io/memory-pressure", "Exists", null, "NoSchedule").obj(), null),
        Arguments.of("healthy conditions add no taint",
            MakeNode.named("n").condition("Ready", "True").condition("MemoryPressure", "False").obj(), MakePod.named("p").obj(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(String rule, Node node, Pod pod, String reason) {
    PluginHarness h = new PluginHarness(List.of(node), List.of());
    Status s = h.filter(h.plugin(TaintToleration.NAME), pod, "n");
    if (reason == null) {
      assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
      assertEquals(List.of(reason), s.reasons());
    }
  }

  static Stream<Arguments> scoreCases() {
    return Stream.of(
        Arguments.of("nodes without soft taints all score 100",
            List.of(MakeNode.named("a").obj(), MakeNode.named("b").obj()), MakePod.named("p").obj(), new long[] {100, 100}),
        Arguments.of("the node with fewer untolerated PreferNoSchedule taints scores higher",
            List.of(MakeNode.named("a").obj(),
                MakeNode.named("b").taint("x", "1", "PreferNoSchedule").obj(),
                MakeNode.named("c").taint("x", "1", "PreferNoSchedule").taint("y", "1", "PreferNoSchedule").obj()),
            MakePod.named("p").obj(), new long[] {100, 50, 0}),
        Arguments.of("a tolerated soft taint does not count",
            List.of(MakeNode.named("a").taint("x", "1", "PreferNoSchedule").obj(),
                MakeNode.named("b").taint("y", "1", "PreferNoSchedule").obj()),
            MakePod.named("p").toleration("x", "Exists", null, "PreferNoSchedule").obj(), new long[] {100, 0}),
        Arguments.of("hard taints do not affect the score",
            List.of(MakeNode.named("a").taint("x", "1", "NoSchedule").obj(), MakeNode.named("b").obj()),
            MakePod.named("p").obj(), new long[] {100, 100}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void score(String rule, List<Node> nodes, Pod pod, long[] want) {
    PluginHarness h = new PluginHarness(nodes, List.of());
    String[] names = nodes.stream().map(n -> n.metadata.name).toArray(String[]::new);
    assertArrayEquals(want, h.normalizedScores(h.plugin(TaintToleration.NAME), pod, names));
  }
}
