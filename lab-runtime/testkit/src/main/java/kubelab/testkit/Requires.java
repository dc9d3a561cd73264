package kubelab.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions for tests that need root, a kernel feature or a host tool.
 *
 * <p>Without the precondition a test is skipped with a reason a reader can act on
 * ("needs root: run the tests as root"). CI sets {@code KUBELAB_REQUIRE_ALL=1}: there every
 * precondition must hold, and a missing one fails the test instead of hiding it as a skip.
 */
public final class Requires {
  private Requires() {}

  /** True when the environment demands that no test be skipped (CI). */
  public static boolean strict() {
    return "1".equals(System.getenv("KUBELAB_REQUIRE_ALL"));
  }

  /** Skips (or, in strict mode, fails) the calling test unless {@code ok}. */
  public static void that(boolean ok, String reason) {
    if (ok) return;
    if (strict()) throw new AssertionError("KUBELAB_REQUIRE_ALL=1 but: " + reason);
    Assumptions.assumeTrue(false, reason);
  }

  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0"); // effective uid
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  public static void root() {
    that(isRoot(), "needs root (namespaces, cgroups, mounts): run the tests as root, as CI does");
  }

  /** The named program must be on PATH. */
  public static void command(String name) {
    that(onPath(name) != null, "needs `" + name + "` on PATH (install it; .ci/run does)");
  }

  public static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  public static void file(Path p, String why) {
    that(Files.exists(p), "needs " + p + ": " + why);
  }
}
