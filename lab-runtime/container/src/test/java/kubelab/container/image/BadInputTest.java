package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import kubelab.container.image.oci.Oci;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and hostile input: each case must fail with a one-line message that names the problem,
 * and leave the store exactly as it was (same index, same blobs, same layers, nothing in tmp).
 */
class BadInputTest {
  @TempDir Path tmp;
  OciImageStore store;
  String indexBefore;
  Set<String> blobsBefore;
  List<String> layersBefore;

  @BeforeEach
  void setUp() throws Exception {
    store = new OciImageStore(tmp.resolve("root"));
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("keep"), "existing image");
    store.commit(null, up, ImageConfig.EMPTY, "existing:1", "x");
    indexBefore = Files.readString(store.dir().resolve("index.json"));
    blobsBefore = store.blobDigests();
    layersBefore = store.layers().list();
  }

  private String failImport(Path p) throws Exception {
    ImageException e = assertThrows(ImageException.class, () -> ImageImporter.importPath(store, p, "bad:1", null, null));
    String msg = e.getMessage();
    assertFalse(msg.contains("\n"), "one line: " + msg);
    assertEquals(indexBefore, Files.readString(store.dir().resolve("index.json")), "index unchanged");
    assertEquals(blobsBefore, store.blobDigests(), "no blob left behind");
    assertEquals(layersBefore, store.layers().list(), "no layer left behind");
    try (var s = Files.list(store.layout().tmpDir())) {
      assertEquals(List.of(), s.toList(), "no staging left behind");
    }
    return msg;
  }

  @Test
  void randomBytesAreNotAnArchive() throws Exception {
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    Path p = Files.write(tmp.resolve("junk"), junk);
    assertTrue(failImport(p).contains("not an image or root file system tar archive"));
  }

  @Test
  void anEmptyFileIsAnEmptyArchive() throws Exception {
    Path p = Files.write(tmp.resolve("empty.tar"), new byte[0]);
    assertTrue(failImport(p).contains("empty archive"));
  }

  @Test
  void aTruncatedImageArchiveIsRefused() throws Exception {
    Path full = tmp.resolve("full.tar");
    ImageSaver.save(store, List.of("existing:1"), full, ImageSaver.Format.TAR);
    byte[] b = Files.readAllBytes(full);
    Path cut = Files.write(tmp.resolve("cut.tar"), Arrays.copyOf(b, 2000)); // inside the first blob
    String msg = failImport(cut);
    assertTrue(msg.contains("truncated"), msg);
  }

  @Test
  void aTruncatedGzipIsRefused() throws Exception {
    byte[] tar = tarOf(new String[] {"a", "hello"}, new String[] {"b", "world".repeat(1000)});
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
      g.write(tar);
    }
    byte[] all = gz.toByteArray();
    Path p = Files.write(tmp.resolve("x.tar.gz"), Arrays.copyOf(all, all.length / 2));
    String msg = failImport(p);
    assertTrue(msg.contains("truncated or damaged"), msg);
  }

  @Test
  void aModifiedBlobIsADigestMismatch() throws Exception {
    Path dir = tmp.resolve("layout");
    ImageSaver.save(store, List.of("existing:1"), dir, ImageSaver.Format.OCI_DIR);
    StoredImage s = store.details("existing:1");
    Path layer = dir.resolve("blobs/sha256/" + Digest.hex(s.manifest().layers().get(0).digest()));
    byte[] b = Files.readAllBytes(layer);
    b[600] ^= 1; // flip a bit of the file content
    Files.delete(layer); // a hard link to the store's blob: replace, do not modify in place
    Files.write(layer, b);
    OciImageStore fresh = new OciImageStore(tmp.resolve("fresh"));
    ImageException e = assertThrows(ImageException.class, () -> ImageImporter.importPath(fresh, dir, null, null, null));
    assertTrue(e.getMessage().startsWith("digest mismatch"), e.getMessage());
    assertEquals(Set.of(), fresh.blobDigests(), "nothing imported");
    assertEquals(blobsBefore, store.blobDigests(), "the source store is untouched");
  }

  @Test
  void aLayerThatDoesNotMatchItsDiffIdIsRefused() throws Exception {
    Path dir = craftLayout(tarOf(new String[] {"f", "real"}), "sha256:" + "0".repeat(64));
    String msg = failImport(dir);
    assertTrue(msg.contains("does not match its diff id"), msg);
  }

  @Test
  void memberNamesWithDotDotAreRefused() throws Exception {
    Path p = Files.write(tmp.resolve("evil.tar"), tarOf(new String[] {"../../etc/evil", "x"}));
    assertTrue(failImport(p).contains("points outside"));
  }

  @Test
  void aLayerWritingThroughItsOwnSymlinkIsRefused() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(b)) {
      w.add(TarEntry.symlink("etc", tmp.resolve("outside").toString(), 0));
      byte[] x = "pwned".getBytes(StandardCharsets.UTF_8);
      w.add(TarEntry.file("etc/passwd", 0644, x.length, 0), x);
    }
    Files.createDirectories(tmp.resolve("outside"));
    Path p = Files.write(tmp.resolve("symlink.tar"), b.toByteArray());
    assertTrue(failImport(p).contains("through the symlink"));
    assertFalse(Files.exists(tmp.resolve("outside/passwd")), "nothing written outside the layer");
  }

  @Test
  void anUnsupportedLayoutVersionIsNamed() throws Exception {
    Path dir = craftLayout(tarOf(new String[] {"f", "x"}), null);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
    assertTrue(failImport(dir).contains("unsupported OCI layout version \"2.0.0\""));
  }

  @Test
  void malformedIndexJsonIsNamed() throws Exception {
    Path dir = craftLayout(tarOf(new String[] {"f", "x"}), null);
    Files.writeString(dir.resolve("index.json"), "{\"manifests\": [");
    assertTrue(failImport(dir).contains("index.json is not valid JSON"));
  }

  @Test
  void aMissingBlobIsNamed() throws Exception {
    Path dir = craftLayout(tarOf(new String[] {"f", "x"}), null);
    String layer = Digest.of(tarOf(new String[] {"f", "x"}));
    Files.delete(dir.resolve("blobs/sha256/" + Digest.hex(layer)));
    assertTrue(failImport(dir).contains("missing layer blob " + layer));
  }

  @Test
  void aBadNameIsRefusedBeforeAnythingIsRead() throws Exception {
    Path p = Files.write(tmp.resolve("ok.tar"), tarOf(new String[] {"f", "x"}));
    ImageException e = assertThrows(ImageException.class, () -> ImageImporter.importPath(store, p, "Bad:Name", null, null));
    assertTrue(e.getMessage().contains("must be lowercase"), e.getMessage());
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A tar of (name, content) pairs. */
  static byte[] tarOf(String[]... files) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(b)) {
      for (String[] f : files) {
        byte[] c = f[1].getBytes(StandardCharsets.UTF_8);
        w.add(TarEntry.file(f[0], 0644, c.length, 0), c);
      }
    }
    return b.toByteArray();
  }

  /** An OCI layout with one image of one layer; {@code diffId} overrides the config's (null: correct). */
  Path craftLayout(byte[] layer, String diffId) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("crafted/blobs/sha256")).getParent().getParent();
    String layerDigest = Digest.of(layer);
    Files.write(dir.resolve("blobs/sha256/" + Digest.hex(layerDigest)), layer);
    ObjectNode cfg = TestJson.MAPPER.createObjectNode();
    cfg.put("architecture", kubelab.container.image.oci.ConfigJson.goArch());
    cfg.put("os", "linux");
    cfg.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId == null ? layerDigest : diffId);
    byte[] cfgBytes = TestJson.MAPPER.writeValueAsBytes(cfg);
    Files.write(dir.resolve("blobs/sha256/" + Digest.hex(Digest.of(cfgBytes))), cfgBytes);
    Oci.Manifest m = new Oci.Manifest(2, Oci.MANIFEST_V1, new Oci.Descriptor(Oci.CONFIG_V1, Digest.of(cfgBytes), cfgBytes.length),
        List.of(new Oci.Descriptor(Oci.LAYER_TAR, layerDigest, layer.length)), null);
    byte[] mBytes = Oci.bytes(m);
    Files.write(dir.resolve("blobs/sha256/" + Digest.hex(Digest.of(mBytes))), mBytes);
    Files.write(dir.resolve("index.json"), Oci.bytes(Oci.Index.of(List.of(
        new Oci.Descriptor(Oci.MANIFEST_V1, Digest.of(mBytes), mBytes.length)))));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return dir;
  }
}
