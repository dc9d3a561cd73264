package kubelab.apiserver.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kubectl against a test API server: its own kubeconfig and discovery cache (in the
 * test's directory, so parallel tests and the user's ~/.kube stay apart), a timeout, captured
 * output. The tests assert what kubectl prints, not just its exit code.
 */
public final class Kubectl {
  /** One run's exit code and output. */
  public record Result(int exit, String out, String err) {
    public String both() {
      return out + err;
    }

    public Result ok() {
      if (exit != 0) throw new AssertionError("kubectl failed (" + exit + "): " + err + out);
      return this;
    }
  }

  private final Path kubeconfig;
  private final Path home;

  public Kubectl(Path kubeconfig, Path home) {
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  public Result run(String... args) {
    return input(null, args);
  }

  /** Runs kubectl with {@code stdin} (may be null) and the arguments; at most 60 seconds. */
  public Result input(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("kubectl");
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + home.resolve("cache"));
    cmd.addAll(List.of(args));
    try {
      Path outF = Files.createTempFile(home, "out", ".txt");
      Path errF = Files.createTempFile(home, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outF.toFile()).redirectError(errF.toFile());
      pb.environment().put("HOME", home.toString());
      pb.environment().remove("KUBECONFIG");
      Process p = pb.start();
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s");
      }
      Result r = new Result(p.exitValue(), Files.readString(outF), Files.readString(errF));
      Files.delete(outF);
      Files.delete(errF);
      return r;
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts kubectl in the background (for -w); the caller stops it. */
  public Process start(Path out, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("kubectl");
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.add("--cache-dir=" + home.resolve("cache"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("KUBECONFIG");
    return pb.start();
  }
}
