package kubelab.store.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubelab.store.server.TcpPorts;

/**
 * A real etcd cluster on loopback, as the etcd anchor runs it: N members with etcd's defaults
 * (fsync on, 100 ms heartbeat, 1 s election timeout), fresh data directories under one
 * directory, logs in files there. {@link #close()} stops exactly the processes it started.
 */
public final class EtcdProcesses implements AutoCloseable {
  private final List<Process> procs = new ArrayList<>();
  private final List<String> clientEndpoints = new ArrayList<>();
  private final Path dir;

  /** Whether an {@code etcd} binary is on PATH (Debian: etcd-server). */
  public static String binary() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d, "etcd");
      if (Files.isExecutable(p)) return p.toString();
    }
    return Files.isExecutable(Path.of("/usr/bin/etcd")) ? "/usr/bin/etcd" : null;
  }

  public EtcdProcesses(Path dir, int n) throws IOException, InterruptedException {
    this.dir = dir;
    String etcd = binary();
    if (etcd == null) throw new IOException("etcd is not installed (Debian: apt-get install etcd-server)");
    List<Integer> ports = TcpPorts.free(2 * n);
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) cluster.append(',');
      cluster.append("e").append(i + 1).append("=http://127.0.0.1:").append(ports.get(n + i));
    }
    try {
      for (int i = 0; i < n; i++) {
        String name = "e" + (i + 1);
        String client = "http://127.0.0.1:" + ports.get(i);
        String peer = "http://127.0.0.1:" + ports.get(n + i);
        List<String> cmd = List.of(etcd, "--name", name, "--data-dir", dir.resolve(name).toString(),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", cluster.toString(), "--initial-cluster-state", "new",
            "--initial-cluster-token", "kubelab-bench-" + ports.get(0), "--log-level", "warn");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        procs.add(pb.start());
        clientEndpoints.add("127.0.0.1:" + ports.get(i));
      }
      for (int i = 0; i < n; i++) awaitPort(ports.get(i), procs.get(i), "e" + (i + 1));
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void awaitPort(int port, Process p, String name) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!p.isAlive()) throw new IOException("etcd member " + name + " exited; see " + dir.resolve(name + ".log"));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw new IOException("etcd member " + name + " did not open port " + port);
        Thread.sleep(50);
      }
    }
  }

  /** HOST:PORT of each member's client URL. */
  public List<String> endpoints() {
    return List.copyOf(clientEndpoints);
  }

  /** CPU time used so far by the members, in seconds. */
  public double cpuSeconds() {
    double s = 0;
    for (Process p : procs) s += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    return s;
  }

  public List<Long> pids() {
    List<Long> out = new ArrayList<>();
    for (Process p : procs) out.add(p.pid());
    return out;
  }

  /**
   * Stops every member: SIGTERM, then SIGKILL after a second. Stopped together, etcd members
   * spend seconds on a graceful shutdown (the leader tries to hand over leadership to members
   * that are stopping too); the data is thrown away, so there is nothing to wait for.
   */
  @Override
  public void close() {
    for (Process p : procs) p.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    for (Process p : procs) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!p.waitFor(left, TimeUnit.NANOSECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    procs.clear();
  }
}
