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
  /** Every member's address (founders, and members added since), by name. */
  private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
  /** The {@code lab store serve} flags of each member's first start; a restart repeats them. */
  private final Map<String, List<String>> flags = new LinkedHashMap<>();

  public MemberProcesses(Path dir, int n, List<String> jvmArgs, List<String> extraArgs) throws IOException {
    this.dir = dir;
    this.peers = TcpPorts.loopbackPeers(TcpPorts.free(n));
    this.jvmArgs = List.copyOf(jvmArgs);
    this.extraArgs = List.copyOf(extraArgs);
    for (Peers.Peer p : peers.byId().values()) {
      addresses.put(p.name(), p.address());
      flags.put(p.name(), List.of("--peers", peers.toString()));
    }
  }

  /** The founders. */
  public Peers peers() {
    return peers;
  }

  /** Every member's address, founders first, then members added with {@link #prepareJoin}. */
  public List<InetSocketAddress> endpoints() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (InetSocketAddress a : addresses.values()) out.add(new InetSocketAddress(a.getHostString(), a.getPort()));
    return out;
  }

  public InetSocketAddress address(String name) {
    InetSocketAddress a = addresses.get(name);
    return new InetSocketAddress(a.getHostString(), a.getPort());
  }

  public Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /**
   * Reserves a free loopback port for a new member {@code name} (to give {@code members add}) and
   * records how it will start: {@code --initial-cluster-state existing} with {@code --peers} =
   * {@code current} (the members now, as {@code members add} lists them) plus itself.
   */
  public InetSocketAddress prepareJoin(String name, Map<String, InetSocketAddress> current) throws IOException {
    InetSocketAddress a = InetSocketAddress.createUnresolved("127.0.0.1", TcpPorts.free(1).get(0));
    Map<String, InetSocketAddress> all = new LinkedHashMap<>(current);
    all.put(name, a);
    addresses.put(name, a);
    flags.put(name, List.of("--initial-cluster-state", "existing", "--peers", Peers.of(all).toString()));
    return address(name);
  }

  /** Starts member {@code name} (again, if it was killed) and waits until its port is open. */
  public void start(String name) throws IOException, InterruptedException {
    InetSocketAddress addr = addresses.get(name);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), "--name", name, "--data", dir.resolve(name).toString(),
        "--listen", addr.getHostString() + ":" + addr.getPort()));
    cmd.addAll(flags.get(name));
    cmd.addAll(extraArgs);
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile())).start();
    procs.put(name, proc);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long from = Files.exists(log(name)) ? Files.size(log(name)) : 0;
    while (!Files.exists(log(name)) || !Files.readString(log(name)).substring((int) from).contains("store member " + name + " (id")) {
      if (!proc.isAlive()) throw new IOException("member " + name + " exited: " + tail(name));
      if (System.nanoTime() > deadline) throw new IOException("member " + name + " did not start: " + tail(name));
      Thread.sleep(20);
    }
  }

  /** Whether member {@code name}'s process is running. */
  public boolean isRunning(String name) {
    Process p = procs.get(name);
    return p != null && p.isAlive();
  }

  /** Waits up to {@code timeout} for member {@code name}'s process to exit by itself; its exit code. */
  public int awaitExit(String name, Duration timeout) throws InterruptedException {
    Process p = procs.get(name);
    if (p == null) throw new IllegalStateException(name + " is not running");
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException(name + " did not exit within " + timeout);
    procs.remove(name);
    return p.exitValue();
  }

  /** Starts the founders. */
  public void startAll() throws IOException, InterruptedException {
    for (Peers.Peer p : peers.byId().values()) start(p.name());
  }

  /** Every member's name (founders, then added ones). */
  public List<String> names() {
    return new ArrayList<>(addresses.keySet());
  }

  /** The members whose process runs. */
  public List<String> running() {
    List<String> out = new ArrayList<>();
    procs.forEach((n, p) -> {
      if (p.isAlive()) out.add(n);
    });
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
      RemoteKvStore r = new RemoteKvStore(address(n));
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
