package kubelab.scheduler.plugins.nodeports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import kubelab.api.core.ContainerPort;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodePortsTest {
  static Pod withPort(String name, int port, String protocol, String hostIp) {
    Pod p = MakePod.named(name).node("n").obj();
    ContainerPort cp = new ContainerPort();
    cp.containerPort = port;
    cp.hostPort = port;
    cp.protocol = protocol;
    cp.hostIP = hostIp;
    p.spec.containers.get(0).ports = List.of(cp);
    return p;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a pod without host ports fits next to anything", MakePod.named("p").obj(), List.of(withPort("old", 8080, null, null)), true),
        Arguments.of("a free host port fits", MakePod.named("p").hostPort(8080).obj(), List.of(withPort("old", 9090, null, null)), true),
        Arguments.of("the same host port and protocol conflicts", MakePod.named("p").hostPort(8080).obj(), List.of(withPort("old", 8080, null, null)), false),
        Arguments.of("the same port over UDP does not conflict with TCP",
            MakePod.named("p").hostPort(8080).obj(), List.of(withPort("old", 8080, "UDP", null)), true),
        Arguments.of("two different host IPs do not conflict",
            withPort("p", 8080, null, "10.0.0.1"), List.of(withPort("old", 8080, null, "10.0.0.2")), true),
        Arguments.of("0.0.0.0 overlaps a specific IP",
            withPort("p", 8080, null, "0.0.0.0"), List.of(withPort("old", 8080, null, "10.0.0.2")), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String rule, Pod pod, List<Pod> existing, boolean fits) {
    PluginHarness h = new PluginHarness(List.of(MakeNode.named("n").obj()), existing);
    pod.spec.nodeName = null;
    Status s = h.filter(h.plugin(NodePorts.NAME), pod, "n");
    if (fits) {
      assertEquals(Status.Code.SUCCESS, s.code());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE, s.code());
      assertEquals(List.of("node(s) didn't have free ports for the requested pod ports"), s.reasons());
    }
  }
}
