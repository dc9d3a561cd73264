package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kubelab.container.Attach;
import kubelab.container.ContainerSpec;
import kubelab.container.ExecSpec;
import kubelab.container.NetworkMode;
import kubelab.container.RuntimeFixture;
import kubelab.container.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** commit and export on real containers (root): what is captured, what is not, and the config. */
class ContainerImagesTest {
  static RuntimeFixture fx;
  static OciImageStore store;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
    store = new OciImageStore(fx.root);
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  private void detached(String name, String hostname, String... cmd) {
    ContainerSpec.Builder b = ContainerSpec.builder("busybox").name(name).network(NetworkMode.NONE).env("GREETING=hi").command(cmd);
    if (hostname != null) b.hostname(hostname);
    fx.rt.run(b.build(), Trace.NONE, null);
  }

  private int exec(String name, String... cmd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return fx.rt.exec(name, ExecSpec.of(cmd), new Attach(null, out, out), Trace.NONE);
  }

  @Test
  void commitCapturesTheWritableLayerButNotTheInitLayer() throws Exception {
    detached("h", "special", "sleep", "1000");
    assertEquals(0, exec("h", "sh", "-c", "echo v2 > /ver; rm /etc/group"));
    Image base = store.resolve("busybox");
    Image img = ContainerImages.commit(fx.rt, store, "h", "img:h", "my change", null, List.of(), true);
    assertEquals(base.diffIds().size() + 1, img.diffIds().size(), "one new layer");
    List<String> names = TarListing.names(store.layout().blobPath(img.diffIds().get(img.diffIds().size() - 1)));
    assertTrue(names.contains("ver") && names.contains("etc/.wh.group"), names.toString());
    assertFalse(names.contains("etc/hostname") || names.contains("etc/hosts") || names.contains("etc/resolv.conf"),
        "the init layer is not captured: " + names);
    assertEquals("running", fx.rt.state("h").status(), "unpaused after the commit");

    RuntimeFixture.Result hostname = fx.run(ContainerSpec.builder("img:h").network(NetworkMode.NONE).command("cat", "/etc/hostname"));
    assertNotEquals("special\n", hostname.out());
    assertEquals("v2\n", fx.run(ContainerSpec.builder("img:h").network(NetworkMode.NONE).command("cat", "/ver")).out());
    assertEquals(1, fx.run(ContainerSpec.builder("img:h").network(NetworkMode.NONE).command("cat", "/etc/group")).exitCode());
    StoredImage s = store.details("img:h");
    assertEquals("my change", s.history().get(s.history().size() - 1).comment());
  }

  @Test
  void commitKeepsTheContainersCommandAndEnvironmentAndAppliesChanges() {
    detached("c", null, "sleep", "1000");
    Image img = ContainerImages.commit(fx.rt, store, "c", "cmd:1", null, "Lab <lab@example.com>", List.of(), false);
    assertEquals(List.of("sleep", "1000"), img.config().cmd(), "docker commit records the container's command");
    assertTrue(img.config().env().contains("GREETING=hi"), img.config().env().toString());
    assertEquals("Lab <lab@example.com>", store.details("cmd:1").config().path("author").asText());
    Image changed = ContainerImages.commit(fx.rt, store, "c", "cmd:2", null, null, List.of("CMD [\"sh\"]", "ENV B=2"), false);
    assertEquals(List.of("sh"), changed.config().cmd());
    assertTrue(changed.config().env().contains("B=2"));
  }

  @Test
  void exportIsOneFlatTarThatImportsAsOneLayerWithoutCmd() throws Exception {
    detached("e", null, "sleep", "1000");
    assertEquals(0, exec("e", "sh", "-c", "echo x > /new; rm /etc/group"));
    Path tar = Files.createTempFile("kubelab-export", ".tar");
    try {
      try (OutputStream out = Files.newOutputStream(tar)) {
        ContainerImages.export(fx.rt, "e", out);
      }
      List<String> names = TarListing.names(tar);
      assertTrue(names.contains("new") && names.contains("bin/busybox"), names.toString());
      assertFalse(names.contains("etc/group"));
      assertFalse(names.stream().anyMatch(n -> n.startsWith("proc/") || n.startsWith("sys/")), "no mounted file systems");
      ImageImporter.importPath(store, tar, "flat:1", null, null);
      StoredImage flat = store.details("flat:1");
      assertEquals(1, flat.diffIds().size());
      assertEquals(null, flat.imageConfig().cmd());
      assertEquals("x\n", fx.run(ContainerSpec.builder("flat:1").network(NetworkMode.NONE).command("cat", "/new")).out());
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  @Test
  void anImageAContainerUsesIsNotRemovedWithoutForce() throws Exception {
    detached("u", null, "sleep", "1000");
    Image img = ContainerImages.commit(fx.rt, store, "u", "used:1", null, null, List.of(), false);
    fx.rt.run(ContainerSpec.builder("used:1").name("user").network(NetworkMode.NONE).command("sleep", "1000").build(),
        Trace.NONE, null);
    assertTrue(ContainerImages.imagesInUse(fx.root).contains(img.id()));
    ImageException e = assertThrows(ImageException.class, () -> store.remove("used:1", false, ContainerImages.imagesInUse(fx.root)));
    assertTrue(e.getMessage().contains("must force"), e.getMessage());
    store.remove("used:1", true, ContainerImages.imagesInUse(fx.root));
    assertEquals(0, exec("user", "true"), "the running container keeps working: its layers stay");
    fx.rt.remove("user", true);
    store.gc(ContainerImages.imagesInUse(fx.root));
    assertFalse(store.layers().list().contains(img.diffIds().get(img.diffIds().size() - 1)), "collected once unused");
  }

  @Test
  void aForceRemovedImageGoesWhenItsLastContainerIsRemoved() throws Exception {
    detached("src", null, "sh", "-c", "echo y > /held; sleep 1000");
    Thread.sleep(200);
    Image img = ContainerImages.commit(fx.rt, store, "src", "held:1", null, null, List.of(), false);
    String layer = img.diffIds().get(img.diffIds().size() - 1);
    for (String n : List.of("h1", "h2"))
      fx.rt.run(ContainerSpec.builder("held:1").name(n).network(NetworkMode.NONE).command("sleep", "1000").build(), Trace.NONE, null);
    store.remove("held:1", true, ContainerImages.imagesInUse(fx.root));
    assertTrue(store.layers().list().contains(layer), "hidden, not deleted, while containers use it");
    fx.rt.remove("h1", true);
    assertTrue(store.layers().list().contains(layer), "h2 still uses it");
    assertEquals(0, exec("h2", "cat", "/held"));
    fx.rt.remove("h2", true);
    assertFalse(store.layers().list().contains(layer), "removing the last container collected the layer");
    assertFalse(store.blobDigests().contains(img.id()), "and the config blob");
  }

  @Test
  void aRenamedImageDirectoryCommitsWithoutARedirect() throws Exception {
    java.io.StringWriter trace = new java.io.StringWriter();
    var c = fx.rt.run(ContainerSpec.builder("busybox").name("mover").network(NetworkMode.NONE)
        .command("sh", "-c", "mv /etc /etc.old && echo moved").build(), new Trace(new java.io.PrintWriter(trace)),
        new kubelab.container.Attach(null, new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()));
    assertEquals(0, fx.rt.waitFor(c.id, java.time.Duration.ofSeconds(30)).exitCode());
    assertTrue(trace.toString().contains("redirect_dir=off,index=off,metacopy=off"), trace.toString());
    Image img = ContainerImages.commit(fx.rt, store, "mover", "moved:1", null, null, List.of(), false);
    try {
      var r = fx.run(ContainerSpec.builder("moved:1").network(NetworkMode.NONE).command("sh", "-c", "ls /etc.old/passwd; ls /etc/passwd 2>&1 || true"));
      assertTrue(r.out().startsWith("/etc.old/passwd\n"), r.out());
      assertTrue(r.out().contains("No such file or directory"), "the old name is gone in the image: " + r.out());
    } finally {
      store.remove("moved:1", true, java.util.Set.of());
    }
  }

  @Test
  void nonAsciiFileNamesSurviveCommitSaveAndImport() throws Exception {
    String dir = "h\u00e9llo-\u4e16\u754c", file = "\u00fcn\u00ef \u20ac.txt"; // héllo-世界/ünï €.txt
    detached("utf", null, "sh", "-c", "mkdir '/" + dir + "' && echo caf\u00e9 > '/" + dir + "/" + file + "'; sleep 1000");
    Thread.sleep(200);
    Image img = ContainerImages.commit(fx.rt, store, "utf", "utf8:1", null, null, List.of(), false);
    Path layout = Files.createTempDirectory("kubelab-utf8-layout");
    try {
      List<String> names = TarListing.names(store.layout().blobPath(img.diffIds().get(img.diffIds().size() - 1)));
      assertTrue(names.contains(dir + "/" + file), "the layer tar carries the UTF-8 name: " + names);
      Files.delete(layout);
      ImageSaver.save(store, List.of("utf8:1"), layout, ImageSaver.Format.OCI_DIR);
      store.remove("utf8:1", true, ContainerImages.imagesInUse(fx.root));
      ImageImporter.importPath(store, layout, "utf8:back", null, null);
      var r = fx.run(ContainerSpec.builder("utf8:back").network(NetworkMode.NONE).command("cat", "/" + dir + "/" + file));
      assertEquals("caf\u00e9\n", r.out(), r.err());
      // the shell's glob prints the name's bytes as they are (busybox ls would escape them)
      var ls = fx.run(ContainerSpec.builder("utf8:back").network(NetworkMode.NONE).command("sh", "-c", "for f in /*/*.txt; do echo \"$f\"; done"));
      assertEquals("/" + dir + "/" + file + "\n", ls.out());
    } finally {
      kubelab.container.state.StateStore.deleteTree(layout);
    }
  }

  @Test
  void anImageOfFortyFiveLayersMounts() throws Exception {
    // overlayfs's options must fit in one page: with full paths (~100 bytes each) 45 layers did not mount
    Path ctx = Files.createTempDirectory("kubelab-many");
    try {
      StringBuilder df = new StringBuilder("FROM busybox\n");
      for (int i = 1; i <= 45; i++) {
        Files.writeString(ctx.resolve("f" + i), "layer " + i + "\n");
        df.append("COPY f").append(i).append(" /f").append(i).append('\n');
      }
      Files.writeString(ctx.resolve("Dockerfile"), df.toString());
      StoredImage img = new kubelab.container.image.build.Builder(store, null, new java.io.PrintWriter(new java.io.StringWriter()))
          .build(new kubelab.container.image.build.Builder.Options(ctx, null, List.of("many:1"), java.util.Map.of(), false, false, true, null));
      assertEquals(46, img.diffIds().size());
      for (Path p : store.layerDirs(store.toImage(img))) {
        assertTrue(Files.isSymbolicLink(p) && p.getFileName().toString().length() == 26, p.toString());
      }
      assertEquals("layer 1\nlayer 45\n",
          fx.run(ContainerSpec.builder("many:1").network(NetworkMode.NONE).command("cat", "/f1", "/f45")).out());
    } finally {
      kubelab.container.image.fs.Trees.deleteQuietly(ctx);
    }
  }

  @Test
  void aSandboxHasNothingToCommit() {
    fx.rt.run(ContainerSpec.builder(null).name("sb").pause(true).network(NetworkMode.NONE).build(), Trace.NONE, null);
    ImageException e = assertThrows(ImageException.class, () -> ContainerImages.commit(fx.rt, store, "sb", null, null, null, List.of(), true));
    assertTrue(e.getMessage().contains("nothing to commit"), e.getMessage());
  }

  static String utf8(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
