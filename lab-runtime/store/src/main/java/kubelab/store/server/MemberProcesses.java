package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kubelab.store.client.RemoteKvStore;

/**
 * Store members as real processes on loopback: the same java and classpath as this JVM, running
 * {@link ServeMain}, each with its data directory and log file under one directory. Used by the
 * multi-process test and by {@code lab bench store}. Every process started is killed by {@link
 * #close()}, so a caller that uses try-with-resources leaves nothing running, even when it fails
 * half-way. {@code jvmArgs} come before the main class (heap, GC), {@code extraArgs} after it.
 */
public final class MemberProcesses implements AutoCloseable {
  private final Path dir;
  private final Peers peers;
  private final List<String> extraArgs;
  private final List<String> jvmArgs;
  private final Map<String, Process> procs = new LinkedHashMap<>();

  public MemberProcesses(Path dir, int n, List<String> jvmArgs, List<String> extraArgs) throws IOException {
    this.dir = dir;
    this.peers = TcpPorts.loopbackPeers(TcpPorts.free(n));
    this.jvmArgs = List.copyOf(jvmArgs);
    this.extraArgs = List.copyOf(extraArgs);
  }

  public Peers peers() {
    return peers;
  }

  public List<InetSocketAddress> endpoints() {
    return new ArrayList<>(peers.addresses().values());
  }

  public Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** Starts member {@code name} (again, if it was killed) and waits until its port is open. */
  public void start(String name) throws IOException, InterruptedException {
    Peers.Peer p = peers.byName(name);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), "--name", name, "--data", dir.resolve(name).toString(), "--listen", p.hostPort(),
        "--peers", peers.toString()));
    cmd.addAll(extraArgs);
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
    procs.put(name, proc);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(log(name)) || !Files.readString(log(name)).contains("store member " + name + " (id")) {
      if (!proc.isAlive()) throw new IOException("member " + name + " exited: " + tail(name));
      if (System.nanoTime() > deadline) throw new IOException("member " + name + " did not start: " + tail(name));
      Thread.sleep(20);
    }
  }

  public void startAll() throws IOException, InterruptedException {
    for (String n : names()) start(n);
  }

  public List<String> names() {
    List<String> out = new ArrayList<>();
    peers.byId().values().forEach(p -> out.add(p.name()));
    return out;
  }

  /** SIGKILL: no shutdown hook, no flush; what the WAL has is what survives. */
  public void kill(String name) throws InterruptedException {
    Process p = procs.remove(name);
    if (p == null) return;
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait (a clean stop). */
  public void stop(String name) throws InterruptedException {
    Process p = procs.remove(name);
    if (p == null) return;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  public long pid(String name) {
    return procs.get(name).pid();
  }

  /** CPU time used so far by the running members, in seconds. */
  public double cpuSeconds() {
    double s = 0;
    for (Process p : procs.values()) s += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    return s;
  }

  /** Asks each running member for its status; members that do not answer are left out. */
  public List<MemberStatus> status() {
    List<MemberStatus> out = new ArrayList<>();
    for (String n : procs.keySet()) {
      Peers.Peer p = peers.byName(n);
      RemoteKvStore r = new RemoteKvStore(new InetSocketAddress("127.0.0.1", p.address().getPort()));
      try {
        out.add(r.status().get(2, TimeUnit.SECONDS));
      } catch (Exception e) {
        // not answering: not in the list
      } finally {
        r.close();
      }
    }
    return out;
  }

  /** The name of the leader all answering members agree on, waiting up to {@code timeout}. */
  public String awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (MemberStatus s : status()) if (s.role().equals("LEADER")) return s.name();
      Thread.sleep(50);
    }
    throw new kubelab.store.StoreException(kubelab.store.StoreException.Code.NO_LEADER,
        "no store leader within " + timeout.toMillis() + " ms: " + status());
  }

  public String tail(String name) {
    try {
      String s = Files.readString(log(name));
      return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    for (Process p : procs.values()) p.destroyForcibly();
    for (Process p : procs.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    procs.clear();
  }
}
