package kubelab.scheduler.plugins.interpodaffinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
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

class InterPodAffinityTest {
  static final String HOST = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";
  static final List<Node> NODES = List.of(
      MakeNode.named("n1").label(ZONE, "a").obj(),
      MakeNode.named("n2").label(ZONE, "a").obj(),
      MakeNode.named("n3").label(ZONE, "b").obj(),
      MakeNode.named("nolabel").obj());

  static Pod cache(String node) {
    return MakePod.named("cache-" + node).node(node).label("app", "cache").obj();
  }

  static Stream<Arguments> filterCases() {
    Pod web = MakePod.named("web").label("app", "web").requiredPodAffinity(HOST, Map.of("app", "cache")).obj();
    Pod webZone = MakePod.named("web").label("app", "web").requiredPodAffinity(ZONE, Map.of("app", "cache")).obj();
    Pod replica = MakePod.named("r").label("app", "web").requiredPodAntiAffinity(HOST, Map.of("app", "web")).obj();
    Pod plain = MakePod.named("plain").label("app", "web").obj();
    Pod antiWeb = MakePod.named("guard").node("n1").label("app", "guard").requiredPodAntiAffinity(ZONE, Map.of("app", "web")).obj();
    Pod selfAffine = MakePod.named("first").label("app", "db").requiredPodAffinity(ZONE, Map.of("app", "db")).obj();
    return Stream.of(
        Arguments.of("affinity to cache on hostname fits where cache runs", web, List.of(cache("n1")), "n1", null),
        Arguments.of("affinity to cache on hostname fails where it does not", web, List.of(cache("n1")), "n2",
            "node(s) didn't match pod affinity rules"),
        Arguments.of("affinity on zone fits anywhere in the cache's zone", webZone, List.of(cache("n1")), "n2", null),
        Arguments.of("affinity on zone fails in another zone", webZone, List.of(cache("n1")), "n3", "node(s) didn't match pod affinity rules"),
        Arguments.of("a node without the topology label never satisfies affinity", webZone, List.of(cache("n1")), "nolabel",
            "node(s) didn't match pod affinity rules"),
        Arguments.of("the first pod of a self-affine group may start anywhere", selfAffine, List.of(), "n3", null),
        Arguments.of("anti-affinity on hostname keeps replicas apart",
            replica, List.of(MakePod.named("r0").node("n1").label("app", "web").obj()), "n1", "node(s) didn't match pod anti-affinity rules"),
        Arguments.of("anti-affinity on hostname allows another node",
            replica, List.of(MakePod.named("r0").node("n1").label("app", "web").obj()), "n2", null),
        Arguments.of("an existing pod's anti-affinity repels the incoming pod from its whole zone",
            plain, List.of(antiWeb), "n2", "node(s) didn't satisfy existing pods anti-affinity rules"),
        Arguments.of("an existing pod's anti-affinity does not reach another zone", plain, List.of(antiWeb), "n3", null),
        Arguments.of("terms look only in the pod's namespace by default",
            web, List.of(MakePod.named("c").namespace("other").node("n1").label("app", "cache").obj()), "n1",
            "node(s) didn't match pod affinity rules"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterCases")
  void filter(String rule, Pod pod, List<Pod> existing, String node, String reason) {
    PluginHarness h = new PluginHarness(NODES, existing);
    Status s = h.filter(h.plugin(InterPodAffinity.NAME), pod, node);
    if (reason == null) assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    else assertEquals(List.of(reason), s.reasons());
  }

  static Stream<Arguments> scoreCases() {
    return Stream.of(
        Arguments.of("preferred affinity scores the cache's zone 100 and the rest 0",
            MakePod.named("w").preferredPodAffinity(50, ZONE, Map.of("app", "cache")).obj(), List.of(cache("n1")), new long[] {100, 100, 0}),
        Arguments.of("preferred anti-affinity scores the cache's node lowest",
            MakePod.named("w").preferredPodAntiAffinity(50, HOST, Map.of("app", "cache")).obj(), List.of(cache("n1")), new long[] {0, 100, 100}),
        Arguments.of("an existing pod's required affinity to the incoming pod attracts it (hardPodAffinityWeight)",
            MakePod.named("db").label("app", "db").obj(),
            List.of(MakePod.named("app").node("n3").requiredPodAffinity(HOST, Map.of("app", "db")).obj()), new long[] {0, 0, 100}),
        Arguments.of("no affinity anywhere scores every node 0", MakePod.named("x").obj(), List.of(cache("n1")), new long[] {0, 0, 0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scoreCases")
  void score(String rule, Pod pod, List<Pod> existing, long[] want) {
    PluginHarness h = new PluginHarness(NODES, existing);
    assertArrayEquals(want, h.normalizedScores(h.plugin(InterPodAffinity.NAME), pod, "n1", "n2", "n3"));
  }
}
