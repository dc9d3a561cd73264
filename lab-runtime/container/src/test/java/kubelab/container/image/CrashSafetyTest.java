package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kubelab.container.image.oci.Oci;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during an import: the store stays a valid layout that lists what it listed before,
 * the next write removes the dead process's staging files, garbage collection removes what it
 * had already stored, and the same import then succeeds.
 */
class CrashSafetyTest {
  @TempDir Path tmp;

  @Test
  void anImportKilledMidWayLeavesTheStoreConsistent() throws Exception {
    Path root = tmp.resolve("root");
    OciImageStore store = new OciImageStore(root);
    Path up = Files.createDirectories(tmp.resolve("u"));
    Files.writeString(up.resolve("f"), "kept");
    Image kept = store.commit(null, up, ImageConfig.EMPTY, "kept:1", "x");
    String indexBefore = Files.readString(store.dir().resolve("index.json"));

    Path big = tmp.resolve("big.tar"); // many files, so unpacking takes a while
    byte[] chunk = new byte[16 * 1024];
    try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(big)); TarWriter w = new TarWriter(os)) {
      for (int i = 0; i < 4000; i++) w.add(TarEntry.file("d" + (i % 50) + "/f" + i, 0644, chunk.length, 0), chunk);
    }

    int killed = 0;
    for (int attempt = 0; attempt < 5 && killed == 0; attempt++) {
      Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
          ImportProcess.class.getName(), root.toString(), big.toString(), "big:1")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String pid = Long.toString(p.pid());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (stagingOf(store, pid)) {
          Thread.sleep(attempt * 40L); // vary the moment: while spooling, storing or unpacking
          p.destroyForcibly();
          killed++;
          break;
        }
        Thread.sleep(2);
      }
      p.waitFor(30, TimeUnit.SECONDS);
      if (killed == 0) store.remove("big:1", false, Set.of()); // it finished first: try again
    }
    assertTrue(killed > 0, "the import was never caught mid-way");

    // the index is as before: valid JSON, same images
    assertEquals(indexBefore, Files.readString(store.dir().resolve("index.json")));
    Oci.parse(Files.readAllBytes(store.dir().resolve("index.json")), Oci.Index.class, "index");
    assertNull(store.find("big:1"));
    assertEquals(kept.id(), store.resolve("kept:1").id());

    // the next write cleans the dead process's staging; gc removes what it had already stored
    store.gc(Set.of());
    try (var s = Files.list(store.layout().tmpDir())) {
      assertEquals(List.of(), s.toList(), "no staging left");
    }
    Set<String> referenced = new HashSet<>();
    StoredImage k = store.details("kept:1");
    referenced.add(k.manifestDigest());
    referenced.add(k.id());
    k.manifest().layers().forEach(l -> referenced.add(l.digest()));
    assertEquals(referenced, store.blobDigests());
    assertEquals(k.diffIds(), store.layers().list());

    // and the import works now
    ImageImporter.importPath(store, big, "big:1", null, null);
    assertEquals(4000, Files.list(store.layerDirs(store.resolve("big:1")).get(0)).mapToLong(d -> d.toFile().list().length).sum());
  }

  private static boolean stagingOf(OciImageStore store, String pid) {
    try (var s = Files.list(store.layout().tmpDir())) {
      return s.anyMatch(p -> p.getFileName().toString().contains("-" + pid + "-"));
    } catch (Exception e) {
      return false;
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
