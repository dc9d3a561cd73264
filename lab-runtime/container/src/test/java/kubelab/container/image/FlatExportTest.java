package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kubelab.container.image.fs.NativeFs;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export/import vs save: a flattened container is one layer, no history, no CMD (CURRICULUM img.export-import). */
class FlatExportTest {
  @TempDir Path tmp;

  @Test
  void exportMergesTheWritableLayerOverTheImageAndDropsDeletedFiles() throws Exception {
    Requires.root();
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Image bb = store.resolve("busybox");
    Path upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(upper.resolve("etc"));
    NativeFs.whiteout(upper.resolve("etc/group"));                 // rm /etc/group
    Files.writeString(upper.resolve("ver"), "v2\n");                 // echo v2 > /ver
    Path var = Files.createDirectories(upper.resolve("var"));        // rm -rf /var/* ; touch /var/new
    NativeFs.setXattr(var, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
    Files.writeString(var.resolve("new"), "n");
    List<Path> dirs = new ArrayList<>();
    dirs.add(upper);
    dirs.addAll(store.layerDirs(bb));
    Path tar = tmp.resolve("c.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      FlatExport.write(dirs, out);
    }
    List<String> names = TarListing.names(tar);
    assertTrue(names.contains("bin/busybox") && names.contains("bin/sh") && names.contains("ver"), names.toString());
    assertTrue(names.contains("etc/passwd"));
    assertFalse(names.contains("etc/group"), "a whiteout hides the lower file");
    assertTrue(names.contains("var/new"));
    assertFalse(names.contains("var/www"), "an opaque directory hides the lower contents");
    assertFalse(names.stream().anyMatch(n -> n.contains(".wh.")), "no whiteouts in a flat export");

    ImageImporter.importPath(store, tar, "flat:1", null, null);
    StoredImage flat = store.details("flat:1");
    assertEquals(1, flat.diffIds().size());
    assertNull(flat.imageConfig().cmd(), "export keeps no config");
    assertEquals(1, flat.history().size());
  }
}
