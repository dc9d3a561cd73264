package kubelab.scheduler.plugins.podtopologyspread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodTopologySpreadTest {
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";
  static final List<Node> NODES = List.of(
      MakeNode.named("a1").label(ZONE, "a").obj(),
      MakeNode.named("a2").label(ZONE, "a").obj(),
      MakeNode.named("b1").label(ZONE, "b").obj(),
      MakeNode.named("nozone").obj());

  static List<Pod> web(String... nodes) {
    List<Pod> out = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) out.add(MakePod.named("w" + i).node(nodes[i]).label("app", "web").obj());
    return out;
  }

  static Pod spread(int skew, String key) {
    return MakePod.named("new").label("app", "web").spread(skew, key, "DoNotSchedule", Map.of("app", "web")).obj();
  }

  static Stream<Arguments> filterCases() {
    return Stream.of(
        Arguments.of("an even zone spread takes the pod anywhere", spread(1, ZONE), web("a1", "b1"), "a2", null),
        Arguments.of("with maxSkew 1 the fuller zone refuses the next pod", spread(1, ZONE), web("a1"), "a2",
            "node(s) didn't match pod topology spread constraints"),
        Arguments.of("with maxSkew 1 the emptier zone takes it", spread(1, ZONE), web("a1"), "b1", null),
        Arguments.of("a larger maxSkew tolerates more imbalance", spread(2, ZONE), web("a1"), "a2", null),
        Arguments.of("a node without the topology label is rejected outright", spread(1, ZONE), web(), "nozone",
            "node(s) didn't match pod topology spread constraints (missing required label)"),
        Arguments.of("pods of other apps do not count", spread(1, ZONE),
            List.of(MakePod.named("x").node("a1").label("app", "db").obj()), "a1", null),
        Arguments.of("hostname spread: the node with a replica refuses while another has none", spread(1, HOST), web("a1"), "a1",
            "node(s) didn't match pod topology spread constraints"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(String rule, Pod pod, List<Pod> existing, String node, String reason) {
    PluginHarness h = new PluginHarness(NODES, existing);
    Status s = h.filter(h.plugin(PodTopologySpread.NAME), pod, node);
    if (reason == null) assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    else assertEquals(List.of(reason), s.reasons());
  }

  @Test
  void aTaintedNodeStillCountsAsAnEmptyDomainUnlessTaintsAreHonored() {
    // Three nodes, one tainted; replicas on the two untainted ones. The tainted node is an empty
    // domain under the default nodeTaintsPolicy Ignore, so minimum is 0 and skew blocks more pods.
    List<Node> nodes = List.of(MakeNode.named("n1").obj(), MakeNode.named("n2").obj(),
        MakeNode.named("n3").taint("maintenance", "true", "NoSchedule").obj());
    List<Pod> existing = web("n1", "n2");
    Pod ignore = spread(1, HOST);
    PluginHarness h = new PluginHarness(nodes, existing);
    assertEquals(Status.Code.UNSCHEDULABLE, h.filter(h.plugin(PodTopologySpread.NAME), ignore, "n1").code());
    Pod honor = MakePod.named("new").label("app", "web").spread(1, HOST, "DoNotSchedule", Map.of("app", "web")).spreadTaintsPolicy("Honor").obj();
    assertEquals(Status.Code.SUCCESS, h.filter(h.plugin(PodTopologySpread.NAME), honor, "n1").code());
  }

  @Test
  void scheduleAnywayScoresTheLessCrowdedZoneHigher() {
    Pod pod = MakePod.named("new").label("app", "web").spread(1, ZONE, "ScheduleAnyway", Map.of("app", "web")).obj();
    PluginHarness h = new PluginHarness(NODES, web("a1", "a2"));
    long[] s = h.normalizedScores(h.plugin(PodTopologySpread.NAME), pod, "a1", "a2", "b1");
    assertEquals(s[0], s[1]);
    assertTrue(s[2] > s[0], "zone b (empty) beats zone a (2 replicas): " + java.util.Arrays.toString(s));
    assertEquals(100, s[2]);
  }

  @Test
  void defaultConstraintsSpreadPodsOfTheSameControllerAcrossNodes() {
    List<Node> nodes = List.of(MakeNode.named("n1").label(ZONE, "a").obj(), MakeNode.named("n2").label(ZONE, "a").obj());
    Pod existing = MakePod.named("rs-1").node("n1").ownedBy("ReplicaSet", "rs", "rs-uid").obj();
    Pod stranger = MakePod.named("other").node("n2").ownedBy("ReplicaSet", "other", "other-uid").obj();
    Pod pod = MakePod.named("rs-2").ownedBy("ReplicaSet", "rs", "rs-uid").obj();
    PluginHarness h = new PluginHarness(nodes, List.of(existing, stranger));
    long[] s = h.normalizedScores(h.plugin(PodTopologySpread.NAME), pod, "n1", "n2");
    assertTrue(s[1] > s[0], "the node without a sibling wins: " + java.util.Arrays.toString(s));
  }

  @Test
  void aBarePodGetsNoDefaultConstraints() {
    PluginHarness h = new PluginHarness(NODES, web("a1"));
    assertArrayEquals(new long[] {0, 0}, h.normalizedScores(h.plugin(PodTopologySpread.NAME), MakePod.named("p").obj(), "a1", "b1"));
  }
}
