package kubelab.scheduler.plugins.noderesources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import kubelab.api.core.Pod;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesBalancedAllocationTest {
  static Stream<Arguments> formula() {
    return Stream.of(
        Arguments.of("equal CPU and memory fractions score 100", new double[] {0.4, 0.4}, 100L),
        Arguments.of("80% CPU against 10% memory: std 0.35, (1 − 0.35) × 100 truncated to 64", new double[] {0.8, 0.1}, 64L),
        Arguments.of("fractions above 1 are capped at 1", new double[] {1.5, 1.0}, 100L),
        Arguments.of("the opposite extremes score 50", new double[] {1.0, 0.0}, 50L),
        Arguments.of("three resources use the population standard deviation", new double[] {0.1, 0.2, 0.3}, 91L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formula")
  void score(String rule, double[] fractions, long want) {
    assertEquals(want, NodeResourcesBalancedAllocation.scoreFractions(fractions));
  }

  @Test
  void theBalancedNodeRanksAboveTheLopsidedOne() {
    // node a ends at 40% CPU / 40% memory, node b at 80% / 10% (the curriculum's experiment)
    var a = MakeNode.named("a").capacity("10", "10Gi", 110).obj();
    var b = MakeNode.named("b").capacity("10", "10Gi", 110).obj();
    Pod onA = MakePod.named("x").node("a").req("cpu", "3").req("memory", "3Gi").obj();
    Pod onB = MakePod.named("y").node("b").req("cpu", "7").obj();
    PluginHarness h = new PluginHarness(List.of(a, b), List.of(onA, onB));
    long[] s = h.rawScores(h.plugin(NodeResourcesBalancedAllocation.NAME), MakePod.named("p").req("cpu", "1").req("memory", "1Gi").obj(), "a", "b");
    assertArrayEquals(new long[] {100, 64}, s);
    assertTrue(s[0] > s[1]);
  }

  @Test
  void aPodRequestingNothingSkipsThePlugin() {
    PluginHarness h = new PluginHarness(List.of(MakeNode.named("a").capacity("1", "1Gi", 110).obj()), List.of());
    assertArrayEquals(new long[] {0}, h.rawScores(h.plugin(NodeResourcesBalancedAllocation.NAME), MakePod.named("p").obj(), "a"));
  }
}
