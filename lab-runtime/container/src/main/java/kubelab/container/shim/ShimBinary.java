package kubelab.container.shim;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds the kubelab-shim executable (the C stage, built by Maven into the jar's resources).
 *
 * <p>In order: the system property {@code kubelab.shim} or the environment variable
 * KUBELAB_SHIM (./lab sets it to the file Maven built, so nothing is extracted); the resource
 * itself when it is a plain file (module tests run from target/classes); otherwise the resource
 * is copied once out of the jar to {@code <root>/bin/kubelab-shim-<build id>}, and reused while
 * the build id (a hash Maven writes next to it) is the same.
 */
public final class ShimBinary {
  private ShimBinary() {}

  private static final String RESOURCE = "/kubelab/container/shim/kubelab-shim";

  public static Path locate(Path root) {
    String p = System.getProperty("kubelab.shim");
    if (p == null || p.isBlank()) p = System.getenv("KUBELAB_SHIM");
    if (p != null && !p.isBlank() && Files.isExecutable(Path.of(p))) return Path.of(p);
    URL url = ShimBinary.class.getResource(RESOURCE);
    if (url == null)
      throw new IllegalStateException("the runtime's C stage (kubelab-shim) is missing from this build: rebuild with mvn package (gcc is needed)");
    try {
      if ("file".equals(url.getProtocol())) {
        Path f = Path.of(url.toURI());
        if (!Files.isExecutable(f)) f.toFile().setExecutable(true);
        return f;
      }
      String id;
      try (InputStream in = ShimBinary.class.getResourceAsStream(RESOURCE + ".id")) {
        id = in == null ? "0" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
      }
      Path dir = root.resolve("bin");
      Path target = dir.resolve("kubelab-shim-" + id);
      if (Files.isExecutable(target)) return target;
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "kubelab-shim", ".tmp");
      try (InputStream in = url.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot install the runtime's C stage under " + root + "/bin: " + e.getMessage(), e);
    }
  }
}
