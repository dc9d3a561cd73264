package kubelab.container.image.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubelab.container.ContainerException;
import kubelab.container.ContainerSpec;
import kubelab.container.NetworkMode;
import kubelab.container.RuntimeFixture;
import kubelab.container.image.ImageException;
import kubelab.container.image.ImageInspect;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.StoredImage;
import kubelab.container.state.StateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Builds with RUN steps in real containers (root), and running what they built. */
class BuildRunTest {
  static RuntimeFixture fx;
  static OciImageStore store;
  static Path ctx;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
    store = new OciImageStore(fx.root);
    ctx = Files.createTempDirectory("kubelab-build-ctx");
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
    if (ctx != null) StateStore.deleteTree(ctx);
  }

  record Built(StoredImage image, String log) {}

  Built build(String dockerfile, String tag) throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    StringWriter log = new StringWriter();
    StoredImage img = new Builder(store, new kubelab.container.BuildRunExecutor(fx.rt), new PrintWriter(log))
        .build(new Builder.Options(ctx, null, List.of(tag), Map.of(), false, false, false, null));
    return new Built(img, log.toString());
  }

  private RuntimeFixture.Result run(String image, String... cmd) {
    ContainerSpec.Builder b = ContainerSpec.builder(image).network(NetworkMode.NONE);
    if (cmd.length > 0) b.command(cmd);
    return fx.run(b);
  }

  @Test
  void runStepsRunInAContainerAndTheirChangesBecomeALayer() throws Exception {
    Files.writeString(ctx.resolve("app.sh"), "#!/bin/sh\necho app\n");
    Built b = build("FROM busybox\nCOPY app.sh /app.sh\nRUN chmod +x /app.sh && echo made > /made && echo step output\nCMD [\"/app.sh\"]\n", "app:1");
    assertTrue(b.log().contains(" ---> Running in "), b.log());
    assertTrue(b.log().contains("step output\n"), "RUN output is shown: " + b.log());
    assertTrue(b.log().contains("Removing intermediate container "), b.log());
    assertEquals(3, b.image().diffIds().size(), "busybox + COPY + RUN; CMD adds none");
    List<ImageInspect.HistoryRow> rows = ImageInspect.history(store, b.image());
    assertEquals(0, rows.get(0).size(), "CMD is 0B");
    assertTrue(rows.get(1).createdBy().startsWith("/bin/sh -c chmod +x /app.sh") && rows.get(1).size() > 0, rows.get(1).toString());
    assertEquals("app\n", run("app:1").out());
    assertEquals("made\n", run("app:1", "cat", "/made").out());
    assertEquals(List.of(), fx.rt.list(true), "the RUN containers are gone");
  }

  @Test
  void aSecondBuildUsesTheCacheForRunStepsToo() throws Exception {
    String df = "FROM busybox\nRUN date +%s%N > /stamp\nCMD [\"cat\",\"/stamp\"]\n";
    Built first = build(df, "stamp:1");
    Built second = build(df, "stamp:1");
    assertEquals(2, second.log().split(" ---> Using cache", -1).length - 1, second.log());
    assertFalse(second.log().contains("Running in"), second.log());
    assertEquals(first.image().id(), second.image().id());
    assertEquals(run("stamp:1").out(), run(first.image().id()).out());
  }

  @Test
  void entrypointAndCmdRunAsDockerRunsThem() throws Exception {
    build("FROM busybox\nENTRYPOINT [\"echo\",\"hello\"]\nCMD [\"world\"]\n", "greeter");
    assertEquals("hello world\n", run("greeter").out());
    assertEquals("hello you\n", run("greeter", "you").out());
  }

  @Test
  void scratchWithCopyOnlyHasNoCommandToRun() throws Exception {
    Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    build("FROM scratch\nCOPY busybox /bin/busybox\n", "min:1");
    ContainerException e = assertThrows(ContainerException.class, () -> run("min:1"));
    assertTrue(e.getMessage().contains("no command specified"), e.getMessage());
    assertEquals("ok\n", run("min:1", "/bin/busybox", "echo", "ok").out());
  }

  @Test
  void runHasNoNetworkAndSeesEnvArgsAndWorkdir() throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), "");
    Built b = build("FROM busybox\nARG LEVEL=debug\nENV APP=demo\nWORKDIR /srv/app\n"
        + "RUN ip -o link | cut -d: -f2 > /links; echo \"$APP $LEVEL $(pwd)\" > /seen\n", "env:1");
    assertEquals("lo", run("env:1", "sh", "-c", "tr -d ' \\n' < /links").out());
    assertEquals("demo debug /srv/app\n", run("env:1", "cat", "/seen").out());
    assertFalse(b.image().imageConfig().env().stream().anyMatch(e -> e.startsWith("LEVEL=")), "ARG values do not persist");
  }

  @Test
  void aFailingRunStopsTheBuildWithItsExitCodeAndLeavesNoContainer() throws Exception {
    ImageException e = assertThrows(ImageException.class, () -> build("FROM busybox\nRUN echo partial > /x && exit 3\n", "fail:1"));
    assertEquals("The command '/bin/sh -c echo partial > /x && exit 3' returned a non-zero code: 3", e.getMessage());
    assertEquals(List.of(), fx.rt.list(true));
    assertTrue(store.find("fail:1") == null);
  }
}
