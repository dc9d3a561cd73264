package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubelab.container.image.fs.NativeFs;
import kubelab.container.image.oci.Oci;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import and save round trips, checked with the tools the rest of the world uses: umoci, skopeo, tar. */
class ImportSaveTest {
  @TempDir Path tmp;
  OciImageStore store;

  @BeforeEach
  void setUp() {
    store = new OciImageStore(tmp.resolve("root"));
  }

  @Test
  void savedTarIsAnOciLayoutWhoseBlobsAreNamedByTheirSha256() throws Exception {
    Requires.command("skopeo");
    Image bb = store.resolve("busybox");
    Path tar = tmp.resolve("b.tar");
    ImageSaver.save(store, List.of("busybox"), tar, ImageSaver.Format.TAR);
    List<String> names = Tools.run("tar", "tf", tar.toString()).lines().toList();
    assertTrue(names.contains("index.json") && names.contains("oci-layout") && names.contains("manifest.json"), names.toString());
    Path x = Files.createDirectory(tmp.resolve("x"));
    Tools.run("tar", "-C", x.toString(), "-xf", tar.toString());
    int blobs = 0;
    for (Path blob : Files.list(x.resolve("blobs/sha256")).toList()) {
      String sum = Tools.run("sha256sum", blob.toString()).split(" ")[0];
      assertEquals(blob.getFileName().toString(), sum);
      blobs++;
    }
    assertEquals(3, blobs, "manifest, config, one layer");
    JsonNode inspect = TestJson.MAPPER.readTree(Tools.run("skopeo", "inspect", "oci-archive:" + tar + ":latest"));
    assertEquals(bb.diffIds(), List.of(inspect.path("Layers").get(0).asText()));
    // and the same archive imports back as the same image
    OciImageStore other = new OciImageStore(tmp.resolve("other"));
    ImageImporter.Result r = ImageImporter.importPath(other, tar, null, null, null);
    assertEquals(List.of("Loaded image: busybox:latest"), r.report());
    assertEquals(bb.id(), other.resolve("busybox").id());
  }

  @Test
  void savedDirectoryIsReadByUmociAndSkopeo() throws Exception {
    Requires.command("umoci");
    Requires.command("skopeo");
    Image bb = store.resolve("busybox");
    store.tag(bb, "mybox:1");
    Path dir = tmp.resolve("layout");
    ImageSaver.save(store, List.of("mybox:1"), dir, ImageSaver.Format.OCI_DIR);
    assertEquals("1", Tools.run("umoci", "ls", "--layout", dir.toString()).strip());
    JsonNode cfg = TestJson.MAPPER.readTree(Tools.run("skopeo", "inspect", "--config", "oci:" + dir + ":1"));
    assertEquals("sh", cfg.path("config").path("Cmd").get(0).asText());
    assertEquals(bb.id(), Digest.of(Tools.run("skopeo", "inspect", "--raw", "--config", "oci:" + dir + ":1").getBytes()),
        "the config is copied byte for byte: same image id");
  }

  @Test
  void umociImagesImportWithGzipLayersAndWhiteouts() throws Exception {
    Requires.command("umoci");
    Requires.root();
    Path layout = tmp.resolve("umoci");
    Tools.run("umoci", "init", "--layout", layout.toString());
    Tools.run("umoci", "new", "--image", layout + ":base");
    Path bundle = tmp.resolve("bundle");
    Tools.run("umoci", "unpack", "--image", layout + ":base", bundle.toString());
    Files.createDirectories(bundle.resolve("rootfs/etc"));
    Files.writeString(bundle.resolve("rootfs/etc/motd"), "layer one\n");
    Files.writeString(bundle.resolve("rootfs/etc/group"), "root:x:0:\n");
    Tools.run("umoci", "repack", "--image", layout + ":base", bundle.toString());
    Path bundle2 = tmp.resolve("bundle2"); // repack diffs against the unpacked image: unpack again
    Tools.run("umoci", "unpack", "--image", layout + ":base", bundle2.toString());
    Files.delete(bundle2.resolve("rootfs/etc/group"));
    Files.writeString(bundle2.resolve("rootfs/etc/motd"), "layer two\n");
    Tools.run("umoci", "repack", "--image", layout + ":base", bundle2.toString());
    Tools.run("umoci", "config", "--image", layout + ":base", "--config.cmd", "cat", "--config.cmd", "/etc/motd");

    ImageImporter.Result r = ImageImporter.importPath(store, layout, "fromumoci:2", null, null);
    Image img = store.resolve("fromumoci:2");
    assertEquals(List.of("Loaded image: fromumoci:2"), r.report());
    assertEquals(List.of("cat", "/etc/motd"), img.config().cmd());
    List<Path> dirs = store.layerDirs(img);
    assertEquals("layer two\n", Files.readString(dirs.get(0).resolve("etc/motd")), "topmost first");
    Map<String, Object> wh = Files.readAttributes(dirs.get(0).resolve("etc/group"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(NativeFs.S_IFCHR, (Integer) wh.get("mode") & NativeFs.S_IFMT, "the OCI whiteout became an overlay whiteout");
    assertEquals(0L, wh.get("rdev"));
    // The OCI manifest was kept byte for byte: skopeo on our store sees umoci's manifest digest.
    String theirs = Digest.of(Tools.run("skopeo", "inspect", "--raw", "oci:" + layout + ":base").getBytes());
    assertEquals(theirs, store.details("fromumoci:2").manifestDigest());
  }

  @Test
  void dockerSaveTarballsImportWithDockersImageId() throws Exception {
    Requires.command("skopeo");
    Image bb = store.resolve("busybox");
    Path archive = tmp.resolve("docker.tar");
    Tools.run("skopeo", "copy", "oci:" + store.dir() + ":busybox:latest", "docker-archive:" + archive + ":lab/bb:7");
    List<String> names = Tools.run("tar", "tf", archive.toString()).lines().toList();
    assertTrue(names.contains("manifest.json") && !names.contains("oci-layout"), "a docker save layout: " + names);
    OciImageStore other = new OciImageStore(tmp.resolve("other"));
    ImageImporter.Result r = ImageImporter.importPath(other, archive, null, null, null);
    assertEquals(List.of("Loaded image: lab/bb:7"), r.report());
    assertEquals(bb.id(), other.resolve("lab/bb:7").id());
    assertTrue(Files.isRegularFile(other.layerDirs(other.resolve("lab/bb:7")).get(0).resolve("bin/busybox")));
  }

  @Test
  void aRootfsTarballFromStdinIsAOneLayerImageWithoutCmd() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
    Files.writeString(rootfs.resolve("hello"), "#!/bin/sh\necho hi\n");
    byte[] tar = Tools.runBytes("tar", "-C", tmp.resolve("rootfs").toString(), "-c", ".");
    ImageImporter.Result r = ImageImporter.importStream(store, new ByteArrayInputStream(tar), "mybase:1", null, null);
    StoredImage s = store.details("mybase:1");
    assertEquals(List.of(s.id()), r.report());
    assertEquals(1, s.diffIds().size());
    assertNull(s.imageConfig().cmd(), "no CMD");
    assertEquals("Imported from -", s.history().get(0).comment());
    assertTrue(Files.isRegularFile(store.layerDirs(store.resolve("mybase:1")).get(0).resolve("bin/hello")));
  }

  @Test
  void gzipRootfsTarballsAreRecognizedByContent() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.writeString(rootfs.resolve("f"), "x");
    Path tgz = tmp.resolve("rootfs.bin"); // the name says nothing
    Tools.run("tar", "-C", rootfs.toString(), "-czf", tgz.toString(), ".");
    ImageImporter.importPath(store, tgz, "gz:1", null, null);
    assertEquals("x", Files.readString(store.layerDirs(store.resolve("gz:1")).get(0).resolve("f")));
  }

  @Test
  void saveThenImportKeepsEveryDigest() throws Exception {
    Path up = Files.createDirectories(tmp.resolve("u/app"));
    Files.writeString(up.resolve("a.sh"), "echo a");
    Image base = store.resolve("busybox");
    Image app = store.commit(base, tmp.resolve("u"), base.config(), "app:1", "COPY a.sh /app/");
    Path tar = tmp.resolve("app.tar");
    ImageSaver.save(store, List.of("app:1"), tar, ImageSaver.Format.TAR);
    OciImageStore other = new OciImageStore(tmp.resolve("other"));
    ImageImporter.importPath(other, tar, null, null, null);
    StoredImage a = store.details("app:1");
    StoredImage b = other.details("app:1");
    assertEquals(a.id(), b.id());
    assertEquals(a.manifestDigest(), b.manifestDigest());
    assertEquals(app.diffIds(), b.diffIds());
    assertFalse(b.tags().isEmpty());
  }
}
