package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.container.image.fs.NativeFs;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract as the container side uses it: resolve, list, layerDirs, commit, tag. */
class OciImageStoreTest {
  @TempDir Path tmp;

  @Test
  void busyboxIsBuiltOnFirstUseAndIsDeterministic() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "the built-in image is made from busybox-static");
    Image a = new OciImageStore(tmp.resolve("a")).resolve("busybox");
    Image b = new OciImageStore(tmp.resolve("b")).resolve("busybox:latest");
    assertEquals(a.id(), b.id(), "same host busybox, same image id");
    assertEquals(a.diffIds(), b.diffIds());
    assertEquals(List.of("busybox:latest"), a.repoTags());
    assertEquals(List.of("sh"), a.config().cmd());
    assertTrue(a.size() > 1_000_000, "size counts the busybox binary: " + a.size());
    OciImageStore store = new OciImageStore(tmp.resolve("a"));
    List<Path> dirs = store.layerDirs(a);
    assertEquals(1, dirs.size());
    Path rootfs = dirs.get(0);
    assertTrue(Files.isRegularFile(rootfs.resolve("bin/busybox")));
    assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(rootfs.resolve("bin/sh")));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("usr/bin/awk")) || Files.isSymbolicLink(rootfs.resolve("bin/awk")));
    assertTrue(Files.readString(rootfs.resolve("etc/passwd")).startsWith("root:x:0:0:"));
    assertEquals(01777, (Integer) Files.getAttribute(rootfs.resolve("tmp"), "unix:mode") & 07777, "sticky /tmp");
  }

  @Test
  void concurrentFirstUsesMakeBusyboxOnce() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "the built-in image is made from busybox-static");
    Path root = tmp.resolve("c");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) ids.add(pool.submit(() -> new OciImageStore(root).resolve("busybox").id()));
      Set<String> distinct = new java.util.HashSet<>();
      for (var f : ids) distinct.add(f.get());
      assertEquals(1, distinct.size());
    } finally {
      pool.shutdownNow();
    }
    OciImageStore store = new OciImageStore(root);
    assertEquals(1, store.all().size(), "one image");
    assertEquals(3, store.blobDigests().size(), "manifest, config, layer: written once");
  }

  @Test
  void unknownImageSaysHowToListBuildOrImport() {
    OciImageStore store = new OciImageStore(tmp);
    ImageException e = assertThrows(ImageException.class, () -> store.resolve("nosuch:1"));
    assertTrue(e.getMessage().contains("No such image: nosuch:1"), e.getMessage());
    assertTrue(e.getMessage().contains("lab image ls") && e.getMessage().contains("lab image build")
        && e.getMessage().contains("lab image import"), e.getMessage());
  }

  @Test
  void malformedReferencesAreRejectedWithDockersWording() {
    OciImageStore store = new OciImageStore(tmp);
    for (String bad : List.of("Busybox", "bad name", "x:", "x:-tag", "x@sha256:12", "::")) {
      ImageException e = assertThrows(ImageException.class, () -> store.resolve(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid reference format"), bad + " -> " + e.getMessage());
    }
  }

  @Test
  void commitAddsOneLayerOnTopOfTheParent() throws Exception {
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("upper/app"));
    Files.writeString(up.resolve("hello.txt"), "hello\n");
    Image base = store.commit(null, tmp.resolve("upper"), ImageConfig.EMPTY, "base:1", "COPY hello.txt /app/");
    Path up2 = Files.createDirectories(tmp.resolve("upper2"));
    Files.writeString(up2.resolve("ver"), "v2\n");
    ImageConfig cfg = new ImageConfig(List.of(Params.DEFAULT_PATH), null, List.of("cat", "/ver"), "/app", null, Map.of("a", "b"), null, null);
    Image child = store.commit(base, up2, cfg, "img:v2", "lab commit");
    assertEquals(2, child.diffIds().size());
    assertEquals(base.diffIds().get(0), child.diffIds().get(0));
    assertEquals(List.of("cat", "/ver"), store.resolve("img:v2").config().cmd());
    assertEquals("/app", store.resolve("img:v2").config().workingDir());
    List<Path> dirs = store.layerDirs(child);
    assertEquals(2, dirs.size());
    assertTrue(Files.exists(dirs.get(0).resolve("ver")), "topmost first");
    assertTrue(Files.exists(dirs.get(1).resolve("app/hello.txt")));
    assertEquals(child.id(), store.resolve(child.id()).id());
    assertEquals(child.id(), store.resolve(child.shortId()).id());
    assertEquals(child.id(), store.resolve(child.id().substring(7)).id());
  }

  @Test
  void retaggingLeavesADanglingImage() throws Exception {
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("u1"));
    Files.writeString(up.resolve("f"), "one");
    Image first = store.commit(null, up, ImageConfig.EMPTY, "app:1", "one");
    Files.writeString(up.resolve("f"), "two");
    Image second = store.commit(null, up, ImageConfig.EMPTY, "app:1", "two");
    assertNotEquals(first.id(), second.id());
    List<Image> images = store.list();
    assertEquals(2, images.size());
    assertEquals(List.of("app:1"), store.resolve("app:1").repoTags());
    Image dangling = images.stream().filter(i -> i.id().equals(first.id())).findFirst().orElseThrow();
    assertEquals(List.of(), dangling.repoTags(), "the old image is <none>:<none>");
  }

  @Test
  void tagPointsASecondNameAndRemoveUntagsFirst() throws Exception {
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("f"), "x");
    Image img = store.commit(null, up, ImageConfig.EMPTY, "a:1", "x");
    store.tag(img, "b");
    assertEquals(Set.of("a:1", "b:latest"), Set.copyOf(store.resolve("b").repoTags()));
    assertEquals(List.of("Untagged: a:1"), store.remove("a:1", false, Set.of()));
    Set<String> before = store.blobDigests();
    assertEquals(List.of("Untagged: b:latest", "Deleted: " + img.id()), store.remove("b", false, Set.of()));
    assertTrue(store.list().isEmpty());
    assertTrue(store.blobDigests().isEmpty(), "unreferenced blobs are gone, was " + before);
    assertTrue(store.layers().list().isEmpty(), "unpacked layers are gone");
  }

  @Test
  void removeRefusesWhileAContainerUsesTheImageUnlessForced() throws Exception {
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("f"), "x");
    Image img = store.commit(null, up, ImageConfig.EMPTY, "a:1", "x");
    ImageException e = assertThrows(ImageException.class, () -> store.remove("a:1", false, Set.of(img.id())));
    assertTrue(e.getMessage().contains("must force"), e.getMessage());
    store.remove("a:1", true, Set.of(img.id()));
    assertTrue(store.list().isEmpty(), "hidden from ls");
    assertTrue(Files.isDirectory(store.layerDirs(store.resolve(img.id())).get(0)), "layers kept for the container");
    store.gc(Set.of());
    assertTrue(store.layers().list().isEmpty(), "collected once no container uses it");
  }

  @Test
  void theLastNameOfAnImageWithChildrenIsOnlyUntaggedUnlessAContainerUsesIt() throws Exception {
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("f"), "x");
    Image base = store.commit(null, up, ImageConfig.EMPTY, "base:1", "x");
    Image child = store.commit(base, up, ImageConfig.EMPTY, "child:1", "y");
    ImageException used = assertThrows(ImageException.class, () -> store.remove("base:1", false, Set.of(base.id())));
    assertTrue(used.getMessage().contains("must force"), used.getMessage());
    assertEquals(List.of("Untagged: base:1"), store.remove("base:1", false, Set.of()));
    assertEquals(base.id(), store.resolve(base.id()).id(), "kept as the child's parent");
    assertEquals(List.of(child.id()), store.list().stream().map(Image::id).toList(), "an untagged parent is hidden from ls");
    ImageException parent = assertThrows(ImageException.class, () -> store.remove(base.id(), false, Set.of()));
    assertTrue(parent.getMessage().contains("image has dependent child images"), parent.getMessage());
    List<String> rm = store.remove("child:1", false, Set.of());
    assertEquals(List.of("Untagged: child:1", "Deleted: " + child.id(), "Deleted: " + base.id()), rm, "the parent chain goes too");
  }

  @Test
  void commitTurnsOverlayWhiteoutsIntoOciWhiteoutsAndBack() throws Exception {
    Requires.root();
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(up.resolve("etc"));
    NativeFs.whiteout(up.resolve("etc/group"));
    Path opaque = Files.createDirectories(up.resolve("var/cache"));
    NativeFs.setXattr(opaque, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(opaque.resolve("new"), "n");
    Image img = store.commit(null, up, ImageConfig.EMPTY, "wh:1", "x");
    // the blob carries OCI whiteouts
    List<String> names = TarListing.names(store.layout().blobPath(img.diffIds().get(0)));
    assertTrue(names.contains("etc/.wh.group"), names.toString());
    assertTrue(names.contains("var/cache/.wh..wh..opq"), names.toString());
    assertFalse(names.contains("etc/group"), names.toString());
    // the unpacked layer has overlayfs whiteouts again
    Path dir = store.layerDirs(img).get(0);
    Map<String, Object> a = Files.readAttributes(dir.resolve("etc/group"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(NativeFs.S_IFCHR, (Integer) a.get("mode") & NativeFs.S_IFMT);
    assertEquals(0L, a.get("rdev"));
    assertEquals("y", new String(NativeFs.getXattr(dir.resolve("var/cache"), "trusted.overlay.opaque"), StandardCharsets.US_ASCII));
  }
}
