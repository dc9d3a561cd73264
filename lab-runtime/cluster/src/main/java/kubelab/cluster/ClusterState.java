package kubelab.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The files of a running control plane in its state directory: {@code cluster.pid} (written once
 * the API server answers, removed on a clean stop), {@code cluster.log} (a detached cluster's
 * output) and {@code cluster.url} (the API server's URL). {@code lab cluster down} and
 * {@code status} find the cluster through them.
 */
public final class ClusterState {
  private final Path dir;

  public ClusterState(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path pidFile() {
    return dir.resolve("cluster.pid");
  }

  public Path logFile() {
    return dir.resolve("cluster.log");
  }

  public Path urlFile() {
    return dir.resolve("cluster.url");
  }

  public Path adminKubeconfig() {
    return dir.resolve("admin.conf");
  }

  /** The pid of the running control plane, if its pid file names a live process. */
  public Optional<ProcessHandle> running() {
    try {
      if (!Files.exists(pidFile())) return Optional.empty();
      long pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.UTF_8).trim());
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      return h.filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public Optional<String> url() {
    try {
      return Files.exists(urlFile()) ? Optional.of(Files.readString(urlFile()).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records that this process is the running control plane, serving at {@code url}. */
  public void markRunning(String url) throws IOException {
    Files.writeString(urlFile(), url + "\n", StandardCharsets.UTF_8);
    Files.writeString(pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
  }

  public void clear() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException ignored) {
      // best effort
    }
  }

  /**
   * Stops the running control plane (SIGTERM, then SIGKILL after {@code grace}); returns false if
   * none was running.
   */
  public boolean stop(Duration grace) throws InterruptedException {
    Optional<ProcessHandle> h = running();
    if (h.isEmpty()) {
      clear();
      return false;
    }
    ProcessHandle p = h.get();
    p.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    while (p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
    if (p.isAlive()) {
      p.destroyForcibly();
      while (p.isAlive()) Thread.sleep(50);
    }
    clear();
    return true;
  }
}
