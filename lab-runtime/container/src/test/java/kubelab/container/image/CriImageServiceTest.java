package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kubelab.cri.ImageService;
import kubelab.cri.ImageService.ImageSpec;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRI ImageService contract on the local store, as the kubelet will call it. */
class CriImageServiceTest {
  @TempDir Path tmp;
  OciImageStore store;
  Set<String> inUse = new java.util.HashSet<>();
  ImageService cri;

  @BeforeEach
  void setUp() {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    store = new OciImageStore(tmp.resolve("root"));
    cri = new CriImageService(store, () -> inUse);
  }

  @Test
  void pullOfBusyboxMakesTheBuiltInImageAndReturnsItsId() {
    assertNull(cri.imageStatus(ImageSpec.of("busybox"), false).image(), "absent before the pull: null, not an error");
    String ref = cri.pullImage(ImageSpec.of("docker.io/library/busybox:latest"), null);
    assertTrue(ref.matches("sha256:[0-9a-f]{64}"), ref);
    ImageService.Image img = cri.imageStatus(ImageSpec.of("busybox"), false).image();
    assertEquals(ref, img.id());
    assertEquals(List.of("busybox:latest"), img.repoTags());
    assertTrue(img.repoDigests().get(0).startsWith("busybox@sha256:"), img.repoDigests().toString());
    assertTrue(img.pinned(), "the built-in image is pinned against kubelet image GC");
    assertTrue(img.size() > 1_000_000);
    assertEquals(1, cri.listImages(null).size());
    assertTrue(cri.imageStatus(ImageSpec.of(ref), true).info().get("info").contains("\"RootFS\""));
  }

  @Test
  void pullOfAnUnknownImageFailsWithContainerdsShape() {
    ImageService.ImageServiceException e = assertThrows(ImageService.ImageServiceException.class,
        () -> cri.pullImage(ImageSpec.of("busybox:1.366"), null));
    assertTrue(e.getMessage().startsWith("failed to pull and unpack image \"busybox:1.366\": not found"), e.getMessage());
  }

  @Test
  void pullFromAnOciArchiveImportsIt() throws Exception {
    store.resolve("busybox");
    Path tar = tmp.resolve("bb.tar");
    ImageSaver.save(store, List.of("busybox"), tar, ImageSaver.Format.TAR);
    OciImageStore other = new OciImageStore(tmp.resolve("node2"));
    CriImageService node2 = new CriImageService(other, Set::of);
    String ref = node2.pullImage(ImageSpec.of("oci-archive:" + tar + ":latest"), null);
    assertEquals(store.resolve("busybox").id(), ref, "the same image id on every node");
  }

  @Test
  void removeIsIdempotentAndRefusesImagesInUse() throws Exception {
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("f"), "x");
    Image img = store.commit(null, up, ImageConfig.EMPTY, "app:1", "x");
    inUse.add(img.id());
    assertThrows(ImageService.ImageServiceException.class, () -> cri.removeImage(ImageSpec.of("app:1")));
    inUse.clear();
    cri.removeImage(ImageSpec.of("app:1"));
    cri.removeImage(ImageSpec.of("app:1")); // absent: fine
    assertNull(cri.imageStatus(ImageSpec.of("app:1"), false).image());
  }

  @Test
  void imageFsInfoReportsTheStoresUsage() {
    store.resolve("busybox");
    ImageService.FilesystemUsage u = cri.imageFsInfo().get(0);
    assertNotNull(u.mountpoint());
    assertTrue(u.usedBytes() > 2 * 1_000_000, "blob + unpacked layer: " + u.usedBytes());
    assertTrue(u.inodesUsed() > 250, "one inode per applet link at least: " + u.inodesUsed());
  }
}
