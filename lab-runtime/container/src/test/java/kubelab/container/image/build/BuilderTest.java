package kubelab.container.image.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageException;
import kubelab.container.image.ImageInspect;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.StoredImage;
import kubelab.container.image.fs.LayeredView;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfile builder without RUN: instructions, layers per instruction, cache, context. */
class BuilderTest {
  @TempDir Path tmp;
  OciImageStore store;
  Path ctx;

  @BeforeEach
  void setUp() throws Exception {
    store = new OciImageStore(tmp.resolve("root"));
    ctx = Files.createDirectories(tmp.resolve("ctx"));
  }

  record Result(StoredImage image, String log) {}

  Result build(String dockerfile, String... tags) throws Exception {
    return build(dockerfile, false, tags);
  }

  Result build(String dockerfile, boolean noCache, String... tags) throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    StringWriter log = new StringWriter();
    StoredImage img = new Builder(store, null, new PrintWriter(log))
        .build(new Builder.Options(ctx, null, List.of(tags), Map.of(), noCache, false, false, null));
    return new Result(img, log.toString());
  }

  @Test
  void entrypointAndCmdAreExecFormArgumentsOfEachOther() throws Exception {
    Files.writeString(ctx.resolve("x"), "x");
    StoredImage img = build("FROM scratch\nCOPY x /x\nENTRYPOINT [\"echo\",\"hello\"]\nCMD [\"world\"]\n", "greeter").image();
    ImageConfig c = img.imageConfig();
    assertEquals(List.of("echo", "hello"), c.entrypoint());
    assertEquals(List.of("world"), c.cmd());
    StoredImage shell = build("FROM scratch\nCMD echo $HOME\n", "shellform").image();
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME"), shell.imageConfig().cmd(), "shell form runs through /bin/sh -c");
  }

  @Test
  void entrypointResetsACmdInheritedFromTheBase() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "FROM busybox");
    StoredImage img = build("FROM busybox\nENTRYPOINT [\"ls\"]\n", "lister").image();
    assertNull(img.imageConfig().cmd(), "busybox's CMD [\"sh\"] must not become ls's argument");
  }

  @Test
  void scratchWithCopyOnlyHasNoCommand() throws Exception {
    Files.writeString(ctx.resolve("busybox"), "not really");
    StoredImage img = build("FROM scratch\nCOPY busybox /bin/busybox\n", "min").image();
    assertNull(img.imageConfig().cmd());
    assertNull(img.imageConfig().entrypoint());
    assertEquals(1, img.diffIds().size());
  }

  @Test
  void onlyRunCopyAndAddMakeLayersTheRestAreZeroByteHistory() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "FROM busybox");
    Files.writeString(ctx.resolve("app.sh"), "echo app\n");
    StoredImage img = build("FROM busybox\nENV A=1\nCOPY app.sh /app.sh\nWORKDIR /srv\nLABEL team=lab\nCMD [\"/app.sh\"]\n", "app").image();
    assertEquals(2, img.diffIds().size(), "busybox + COPY");
    List<ImageInspect.HistoryRow> rows = ImageInspect.history(store, img);
    assertEquals(7, rows.size(), "5 steps + busybox's 2: " + rows);
    assertTrue(rows.get(0).createdBy().contains("CMD [\"/app.sh\"]") && rows.get(0).size() == 0);
    assertTrue(rows.get(3).createdBy().contains("COPY file:") && rows.get(3).size() == 9, rows.get(3).toString());
    for (ImageInspect.HistoryRow r : rows.subList(0, 4)) assertTrue(r.imageId() != null, "intermediate images are kept: " + r);
    assertEquals("/srv", img.imageConfig().workingDir());
    assertEquals(Map.of("team", "lab"), img.imageConfig().labels());
    assertTrue(img.imageConfig().env().contains("A=1"));
  }

  @Test
  void aSecondBuildIsAllCacheAndAnEditRebuildsFromTheCopyOn() throws Exception {
    Files.writeString(ctx.resolve("deps.txt"), "a\n");
    Files.writeString(ctx.resolve("app.sh"), "v1\n");
    String df = "FROM scratch\nCOPY deps.txt /deps.txt\nENV X=1\nCOPY app.sh /app.sh\nCMD [\"/app.sh\"]\n";
    Result first = build(df, "app:1");
    assertFalse(first.log().contains("Using cache"), first.log());
    Result second = build(df, "app:1");
    assertEquals(4, count(second.log(), " ---> Using cache"), second.log());
    assertEquals(first.image().id(), second.image().id());
    assertTrue(second.log().contains("Step 2/5 : COPY deps.txt /deps.txt\n ---> Using cache\n ---> "), second.log());

    Files.setLastModifiedTime(ctx.resolve("app.sh"), FileTime.fromMillis(0)); // touch: content unchanged
    assertEquals(4, count(build(df, "app:1").log(), "Using cache"), "mtime is not part of the cache key");

    Files.writeString(ctx.resolve("app.sh"), "v2\n");
    Result third = build(df, "app:1");
    assertEquals(2, count(third.log(), "Using cache"), "COPY deps and ENV cached, COPY app and CMD rebuilt: " + third.log());
    assertNotEquals(first.image().id(), third.image().id());
    // the old app:1 is now dangling
    assertTrue(store.visible(false).stream().anyMatch(s -> s.id().equals(first.image().id()) && s.tags().isEmpty()));
  }

  @Test
  void noCacheRebuildsEveryStep() throws Exception {
    Files.writeString(ctx.resolve("f"), "f");
    String df = "FROM scratch\nCOPY f /f\nCMD [\"x\"]\n";
    build(df, "nc");
    assertEquals(0, count(build(df, true, "nc").log(), "Using cache"));
  }

  @Test
  void dockerignoreExcludesFromCopyAndFromTheContextSize() throws Exception {
    Files.createDirectories(ctx.resolve("app"));
    Files.writeString(ctx.resolve("app/main.sh"), "main");
    Files.write(ctx.resolve("app/big.bin"), new byte[100_000]);
    Files.writeString(ctx.resolve("app/keep.bin"), "k");
    Files.writeString(ctx.resolve(".dockerignore"), "# no binaries\napp/*.bin\n!app/keep.bin\n");
    Result r = build("FROM scratch\nCOPY app /app\n", "ign");
    assertTrue(r.log().contains(".dockerignore excluded 1 files, 100kB"), r.log());
    Path layer = store.layerDirs(store.toImage(r.image())).get(0);
    assertTrue(Files.exists(layer.resolve("app/main.sh")));
    assertTrue(Files.exists(layer.resolve("app/keep.bin")), "! re-includes");
    assertFalse(Files.exists(layer.resolve("app/big.bin")));
    ImageException e = assertThrows(ImageException.class, () -> build("FROM scratch\nCOPY app/big.bin /x\n"));
    assertTrue(e.getMessage().contains("excluded by .dockerignore"), e.getMessage());
  }

  @Test
  void copyFollowsDockersDestinationRules() throws Exception {
    Files.createDirectories(ctx.resolve("dir/sub"));
    Files.writeString(ctx.resolve("dir/sub/a"), "a");
    Files.writeString(ctx.resolve("one"), "1");
    Files.writeString(ctx.resolve("two"), "2");
    StoredImage img = build("FROM scratch\nWORKDIR /w\nCOPY dir /d\nCOPY one rel\nCOPY one two /multi/\nCOPY t* /glob/\n", "rules").image();
    List<Path> layers = store.layerDirs(store.toImage(img));
    LayeredView v = new LayeredView(layers);
    assertTrue(v.lookup("/d/sub/a", true) != null, "a directory's contents, not the directory");
    assertTrue(v.lookup("/w/rel", true) != null && !v.lookup("/w/rel", true).dir(), "relative to WORKDIR, a file");
    assertTrue(v.lookup("/multi/one", true) != null && v.lookup("/multi/two", true) != null);
    assertTrue(v.lookup("/glob/two", true) != null);
    ImageException e = assertThrows(ImageException.class, () -> build("FROM scratch\nCOPY one two /nodir\n"));
    assertTrue(e.getMessage().contains("must be a directory and end with a /"), e.getMessage());
    ImageException out = assertThrows(ImageException.class, () -> build("FROM scratch\nCOPY ../secret /x\n"));
    assertTrue(out.getMessage().contains("outside the build context"), out.getMessage());
  }

  @Test
  void addExtractsLocalTarArchives() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("tarsrc/pkg"));
    Files.writeString(src.resolve("x.txt"), "inside");
    Process p = new ProcessBuilder("tar", "-C", tmp.resolve("tarsrc").toString(), "-czf", ctx.resolve("app.tar.gz").toString(), "pkg").start();
    assertEquals(0, p.waitFor());
    StoredImage img = build("FROM scratch\nADD app.tar.gz /opt/\nCOPY app.tar.gz /copied/\n", "adder").image();
    LayeredView v = new LayeredView(store.layerDirs(store.toImage(img)));
    assertEquals("inside", new String(v.read("/opt/pkg/x.txt")));
    assertTrue(v.lookup("/copied/app.tar.gz", true) != null, "COPY keeps the archive as a file");
  }

  @Test
  void multiStageCopiesOnlyTheArtifact() throws Exception {
    Files.createDirectories(ctx.resolve("src"));
    Files.writeString(ctx.resolve("src/tool"), "binary");
    Files.writeString(ctx.resolve("src/junk"), "big junk");
    StoredImage img = build("FROM scratch AS build\nCOPY src /work/\nFROM scratch\nCOPY --from=build /work/tool /bin/tool\n", "ms").image();
    assertEquals(1, img.diffIds().size(), "only the final stage's layers");
    LayeredView v = new LayeredView(store.layerDirs(store.toImage(img)));
    assertEquals("binary", new String(v.read("/bin/tool")));
    assertNull(v.lookup("/work", true));
  }

  @Test
  void chownNamesResolveThroughTheImagesPasswd() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "FROM busybox");
    Files.writeString(ctx.resolve("f"), "f");
    StoredImage img = build("FROM busybox\nCOPY --chown=nobody f /f\nCOPY --chown=33:33 f /g\n", "owned").image();
    Path top = store.layerDirs(store.toImage(img)).get(0);
    Path below = store.layerDirs(store.toImage(img)).get(1);
    if (Requires.isRoot()) {
      assertEquals(33, Files.getAttribute(top.resolve("g"), "unix:uid"));
      assertEquals(65534, Files.getAttribute(below.resolve("f"), "unix:uid"));
    }
    ImageException e = assertThrows(ImageException.class, () -> build("FROM busybox\nCOPY --chown=nosuchuser f /f\n"));
    assertTrue(e.getMessage().contains("unable to find user nosuchuser"), e.getMessage());
  }

  @Test
  void argsExpandAndBuildArgsOverrideTheirDefaults() throws Exception {
    Files.writeString(ctx.resolve("v2.txt"), "two");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nARG VER=v1\nENV APP_VERSION=$VER\nCOPY ${VER}.txt /version\n");
    StringWriter log = new StringWriter();
    StoredImage img = new Builder(store, null, new PrintWriter(log))
        .build(new Builder.Options(ctx, null, List.of("args"), Map.of("VER", "v2"), false, false, false, null));
    assertTrue(img.imageConfig().env().contains("APP_VERSION=v2"), img.imageConfig().env().toString());
  }

  @Test
  void healthcheckOptionsAreStoredInNanoseconds() throws Exception {
    StoredImage img = build("FROM scratch\nHEALTHCHECK --interval=2s --retries=2 CMD false\n", "hc").image();
    ImageConfig.Healthcheck hc = img.imageConfig().healthcheck();
    assertEquals(List.of("CMD-SHELL", "false"), hc.test());
    assertEquals(2_000_000_000L, hc.intervalNanos());
    assertEquals(2, hc.retries());
  }

  @Test
  void runWithoutARuntimeSaysWhy() {
    ImageException e = assertThrows(ImageException.class, () -> build("FROM scratch\nRUN true\n"));
    assertTrue(e.getMessage().contains("RUN needs the container runtime"), e.getMessage());
    assertTrue(e.getMessage().startsWith("Dockerfile:2:"), e.getMessage());
  }

  @Test
  void parseErrorsNameTheFileAndLine() {
    Object[][] cases = {
        {"FROM scratch\n\nFORM x\n", "Dockerfile:3: unknown instruction: FORM (did you mean FROM?)"},
        {"COPY a b\n", "Dockerfile:1: the first instruction must be FROM"},
        {"FROM scratch\nCOPY onlyone\n", "Dockerfile:2: COPY requires at least two arguments"},
        {"FROM scratch\nCOPY --badflag=1 a b\n", "Dockerfile:2: unknown flag: --badflag"},
        {"FROM scratch\nENV A \"unterminated\n", "Dockerfile:2: unterminated double quote"},
        {"FROM scratch\nHEALTHCHECK --interval=2 CMD true\n", "Dockerfile:2: invalid duration \"2\""},
        {"# only a comment\n", "the Dockerfile (Dockerfile) cannot be empty"},
        {"FROM scratch\nRUN --mount=type=cache,target=/x true\n", "Dockerfile:2: RUN --mount is a BuildKit feature"},
    };
    for (Object[] c : cases) {
      ImageException e = assertThrows(ImageException.class, () -> build((String) c[0]), (String) c[0]);
      assertTrue(e.getMessage().startsWith((String) c[1]), c[0] + " -> " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void continuationLinesAndEscapeDirective() throws Exception {
    Files.writeString(ctx.resolve("a b"), "spaced");
    StoredImage img = build("# escape=`\nFROM scratch\nENV A=1 `\n    # a comment inside\n    B=2\nCOPY [\"a b\", \"/c d\"]\n", "esc").image();
    assertTrue(img.imageConfig().env().containsAll(List.of("A=1", "B=2")), img.imageConfig().env().toString());
    assertTrue(new LayeredView(store.layerDirs(store.toImage(img))).lookup("/c d", true) != null);
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
    return n;
  }
}
