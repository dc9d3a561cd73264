package kubelab.scheduler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import kubelab.api.Json;

/** Runs the real kubectl (v1.32, on PATH) against a test API server. */
final class Kubectl {
  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** Runs kubectl with {@code stdin} (may be null); returns stdout; fails the test on a non-zero exit. */
  String run(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("kubectl");
    cmd.add("--kubeconfig=" + kubeconfig);
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      Process p = pb.start();
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl timed out: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("kubectl " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
            + new String(err, StandardCharsets.UTF_8) + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String apply(String yaml) {
    return run(yaml, "apply", "-f", "-");
  }

  JsonNode json(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("-o");
    a.add("json");
    try {
      return Json.MAPPER.readTree(run(null, a.toArray(new String[0])));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  String nodeName(String pod) {
    return run(null, "get", "pod", pod, "-o", "jsonpath={.spec.nodeName}");
  }

  /** Messages of the events about {@code pod} with {@code reason}, oldest first. */
  List<String> events(String pod, String reason) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : json("get", "events").path("items")) {
      if (e.path("involvedObject").path("name").asText().equals(pod) && e.path("reason").asText().equals(reason)) {
        out.add(e.path("message").asText());
      }
    }
    return out;
  }

  /** Polls {@code f} until {@code ok} holds or {@code timeout} passes; returns the last value. */
  static <T> T eventually(Supplier<T> f, Predicate<T> ok, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    T v = f.get();
    while (!ok.test(v) && System.nanoTime() < end) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return v;
      }
      v = f.get();
    }
    return v;
  }
}
