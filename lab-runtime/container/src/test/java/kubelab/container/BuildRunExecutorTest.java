package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.build.Builder;
import kubelab.container.state.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RUN steps of lab image build run in real containers of this runtime, and only the step's changes are committed. */
class BuildRunExecutorTest {
  static RuntimeFixture fx;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  @Test
  void aRunStepsChangesBecomeALayerAndNothingElse() throws Exception {
    Path ctx = Files.createTempDirectory("kubelab-build");
    try {
      Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo built > /built && hostname > /etc/hostname\nCMD [\"cat\", \"/built\"]\n");
      OciImageStore store = new OciImageStore(fx.root);
      StringWriter log = new StringWriter();
      new Builder(store, new BuildRunExecutor(fx.rt), new PrintWriter(log, true))
          .build(new Builder.Options(ctx, ctx.resolve("Dockerfile"), List.of("built:1"), Map.of(), false, false, false, null));
      assertTrue(log.toString().contains("Running in"), log.toString());
      var r = fx.run(ContainerSpec.builder("built:1").network(NetworkMode.NONE).hostname("fresh"));
      assertEquals("built\n", r.out());
      var h = fx.run(ContainerSpec.builder("built:1").network(NetworkMode.NONE).hostname("fresh").command("cat", "/etc/hostname"));
      assertEquals("fresh\n", h.out()); // the init layer's file, not the build container's
      assertEquals(List.of(), fx.rt.store().ids());
    } finally {
      StateStore.deleteTree(ctx);
    }
  }
}
