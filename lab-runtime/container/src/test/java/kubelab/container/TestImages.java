package kubelab.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageException;
import kubelab.container.image.ImageStore;

/**
 * Images for the runtime's tests. When the real image store (kubelab.container.image.OciImageStore)
 * is on the classpath, tests use it; until then, and only in tests, this store offers one image,
 * {@code busybox:latest}, as a single layer directory made from the host's static busybox.
 */
final class TestImages {
  private TestImages() {}

  /** The real store if it is built, else the host-busybox stand-in. */
  static ImageStore forRoot(Path root) {
    try {
      Class<?> c = Class.forName("kubelab.container.image.OciImageStore");
      return (ImageStore) c.getConstructor(Path.class).newInstance(root);
    } catch (ClassNotFoundException e) {
      return new HostBusybox(root.resolve("test-layers"));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path hostBusybox() {
    for (String p : List.of("/bin/busybox", "/usr/bin/busybox")) if (Files.isExecutable(Path.of(p))) return Path.of(p);
    return null;
  }

  static final class HostBusybox implements ImageStore {
    private final Path layer;
    private final Image image;

    HostBusybox(Path dir) {
      this.layer = dir.resolve("busybox");
      ImageConfig cfg = new ImageConfig(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
          null, List.of("sh"), null, null, Map.of(), null, null);
      this.image = new Image("sha256:" + "0".repeat(64), List.of("busybox:latest"), cfg, List.of(), 0, Instant.EPOCH);
    }

    private synchronized void build() {
      if (Files.exists(layer.resolve("bin/busybox"))) return;
      try {
        Path tmp = layer.resolveSibling("busybox.tmp");
        Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("etc"));
        for (String d : List.of("proc", "sys", "dev", "tmp", "root")) Files.createDirectories(tmp.resolve(d));
        Files.copy(hostBusybox(), tmp.resolve("bin/busybox"));
        Process p = new ProcessBuilder(hostBusybox().toString(), "--list").start();
        for (String applet : new String(p.getInputStream().readAllBytes()).split("\n")) {
          if (applet.isBlank() || applet.equals("busybox")) continue;
          Path l = tmp.resolve("bin").resolve(applet.trim());
          if (!Files.exists(l, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(l, Path.of("busybox"));
        }
        Files.writeString(tmp.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
        Files.writeString(tmp.resolve("etc/group"), "root:x:0:\nnobody:x:65534:\n");
        Files.move(tmp, layer);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Image resolve(String reference) {
      if (!reference.equals("busybox") && !reference.equals("busybox:latest"))
        throw new ImageException("No such image: " + reference);
      build();
      return image;
    }

    @Override
    public List<Image> list() {
      return List.of(image);
    }

    @Override
    public List<Path> layerDirs(Image image) {
      build();
      return new ArrayList<>(List.of(layer));
    }

    @Override
    public Image commit(Image parent, Path upperDir, ImageConfig config, String tag, String createdBy) {
      throw new UnsupportedOperationException("the test image store cannot commit");
    }

    @Override
    public void tag(Image image, String reference) {
      throw new UnsupportedOperationException("the test image store cannot tag");
    }
  }
}
