package kubelab.scheduler.plugins.nodeunschedulable;

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

class NodeUnschedulableTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a schedulable node takes new pods", MakeNode.named("n").obj(), MakePod.named("p").obj(), true),
        Arguments.of("a cordoned node takes no new pods", MakeNode.named("n").unschedulable().obj(), MakePod.named("p").obj(), false),
        Arguments.of("a pod tolerating the unschedulable taint may go to a cordoned node",
            MakeNode.named("n").unschedulable().obj(),
            MakePod.named("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule").obj(), true),
        Arguments.of("a wildcard toleration also tolerates cordoning",
            MakeNode.named("n").unschedulable().obj(), MakePod.named("p").toleration(null, "Exists", null, null).obj(), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String rule, Node node, Pod pod, boolean fits) {
    PluginHarness h = new PluginHarness(List.of(node), List.of());
    Status s = h.filter(h.plugin(NodeUnschedulable.NAME), pod, "n");
    if (fits) {
      assertEquals(Status.Code.SUCCESS, s.code());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
      assertEquals(List.of("node(s) were unschedulable"), s.reasons());
    }
  }
}
