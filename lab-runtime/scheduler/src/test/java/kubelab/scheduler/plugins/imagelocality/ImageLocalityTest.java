package kubelab.scheduler.plugins.imagelocality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageLocalityTest {
  static final long MB = 1024 * 1024;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a node without the image scores 0",
            List.of(MakeNode.named("a").obj(), MakeNode.named("b").obj()), MakePod.named("p").image("app:1").obj(), new long[] {0, 0}),
        Arguments.of("an image below 23 MiB earns nothing",
            List.of(MakeNode.named("a").image(10 * MB, "app:1").obj(), MakeNode.named("b").obj()),
            MakePod.named("p").image("app:1").obj(), new long[] {0, 0}),
        Arguments.of("a 200 MiB image on one of two nodes scores by size times spread",
            // 200 MiB × 1/2 = 100 MiB → 100 × (100 − 23) / (1000 − 23) = 7
            List.of(MakeNode.named("a").image(200 * MB, "app:1").obj(), MakeNode.named("b").obj()),
            MakePod.named("p").image("app:1").obj(), new long[] {7, 0}),
        Arguments.of("an untagged image name matches :latest",
            List.of(MakeNode.named("a").image(2000 * MB, "app:latest").obj()),
            MakePod.named("p").image("app").obj(), new long[] {100}),
        Arguments.of("an image on every node counts in full",
            List.of(MakeNode.named("a").image(500 * MB, "app:1").obj(), MakeNode.named("b").image(500 * MB, "app:1").obj()),
            MakePod.named("p").image("app:1").obj(), new long[] {48, 48}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void score(String rule, List<Node> nodes, Pod pod, long[] want) {
    PluginHarness h = new PluginHarness(nodes, List.of());
    String[] names = nodes.stream().map(n -> n.metadata.name).toArray(String[]::new);
    assertArrayEquals(want, h.normalizedScores(h.plugin(ImageLocality.NAME), pod, names));
  }

  @Test
  void theSumIsClampedToTheThresholdsOfTheContainerCount() {
    assertEquals(0, ImageLocality.calculatePriority(0, 1));
    assertEquals(100, ImageLocality.calculatePriority(5000 * MB, 1));
    assertEquals(100 * (1000 * MB - 23 * MB) / (2000 * MB - 23 * MB), ImageLocality.calculatePriority(1000 * MB, 2));
  }
}
