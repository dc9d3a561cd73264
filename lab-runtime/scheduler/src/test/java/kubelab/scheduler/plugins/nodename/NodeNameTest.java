package kubelab.scheduler.plugins.nodename;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeNameTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a pod without nodeName fits any node", MakePod.named("p").obj(), Status.Code.SUCCESS),
        Arguments.of("a pod naming this node fits it", MakePod.named("p").node("node-1").obj(), Status.Code.SUCCESS),
        Arguments.of("a pod naming another node does not fit, unresolvably", MakePod.named("p").node("node-2").obj(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String rule, Pod pod, Status.Code want) {
    PluginHarness h = new PluginHarness(List.of(MakeNode.named("node-1").obj()), List.of());
    Status s = h.filter(h.plugin(NodeName.NAME), pod, "node-1");
    assertEquals(want, s.code());
    if (want != Status.Code.SUCCESS) assertEquals(List.of("node(s) didn't match the requested node name"), s.reasons());
  }
}
