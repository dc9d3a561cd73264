package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kubelab.container.image.oci.Oci;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store itself is a valid OCI layout: umoci and skopeo read it as they read their own. */
class StoreInteropTest {
  @TempDir Path tmp;

  @Test
  void umociAndSkopeoReadTheStoreDirectly() throws Exception {
    Requires.command("umoci");
    Requires.command("skopeo");
    Requires.file(Path.of("/bin/busybox"), "the built-in image is made from busybox-static");
    OciImageStore store = new OciImageStore(tmp.resolve("root"));
    Image bb = store.resolve("busybox");
    String ls = Tools.run("umoci", "ls", "--layout", store.dir().toString());
    assertTrue(ls.lines().anyMatch(l -> l.equals("busybox:latest")), ls);
    JsonNode inspect = TestJson.MAPPER.readTree(Tools.run("skopeo", "inspect", "oci:" + store.dir() + ":busybox:latest"));
    assertEquals(bb.diffIds().get(0), inspect.path("Layers").get(0).asText(), "uncompressed layer: blob digest = diff id");
    JsonNode config = TestJson.MAPPER.readTree(Tools.run("skopeo", "inspect", "--config", "oci:" + store.dir() + ":busybox:latest"));
    assertEquals("sh", config.path("config").path("Cmd").get(0).asText());
    // umoci unpacks it into a bundle whose rootfs has the busybox binary and applet links
    Path bundle = tmp.resolve("bundle");
    Tools.run("umoci", "unpack", "--image", store.dir() + ":busybox:latest", bundle.toString());
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
    assertTrue(Files.isSymbolicLink(bundle.resolve("rootfs/bin/sh")));
  }
}
