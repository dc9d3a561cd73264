package kubelab.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs a host tool (umoci, skopeo, tar) and returns its output, failing on a non-zero exit. */
final class Tools {
  private Tools() {}

  static String run(String... cmd) throws IOException, InterruptedException {
    Result r = exec(cmd);
    assertEquals(0, r.code, String.join(" ", cmd) + " failed:\n" + r.out);
    return r.out;
  }

  record Result(int code, String out) {}

  /** Runs a tool and returns its raw standard output (stderr inherited). */
  static byte[] runBytes(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed");
    return out;
  }

  static Result exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " timed out");
    }
    return new Result(p.exitValue(), out);
  }
}
