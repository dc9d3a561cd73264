package kubelab.store.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import kubelab.raft.bench.CoreBenchmark;
import kubelab.store.KvStore;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.MemberProcesses;
import kubelab.store.server.MemberStatus;

/**
 * {@code lab bench store}: the mini-etcd and real etcd, same machine, same run, same workload
 * ({@link LoadGenerator}: the etcd anchor's shape), plus the Raft core alone.
 *
 * <p>Both clusters are 3 members on loopback, each member its own process, fsync on, data under
 * {@code java.io.tmpdir} (a real disk: a tmpfs would make fsync free and the figures
 * meaningless, so the report says which it is). Our members run with the default Params (100 ms
 * tick, 1 s election timeout, as etcd). Everything started is stopped and deleted at the end.
 */
public final class StoreBenchmark {
  /**
   * @param phaseSeconds length of each measured phase (the anchor: 15; CI smoke runs use 1-2)
   * @param routing      how our client spreads requests: "leader" (our client as it ships: it finds
   *                     the leader and sends there; followers would forward anyway) or
   *                     "round-robin" (two requests in three to followers, as jetcd's default)
   * @param etcdClient   makes an etcd client for a list of HOST:PORT endpoints, or null to skip etcd
   * @param core         whether to run the Raft core benchmark
   * @param keys         keys preloaded and written (the anchor: 10,000; smoke tests use fewer)
   */
  public record Options(double phaseSeconds, String routing, Function<List<String>, KvStore> etcdClient, boolean core, int keys) {
    public Options(double phaseSeconds, String routing, Function<List<String>, KvStore> etcdClient, boolean core) {
      this(phaseSeconds, routing, etcdClient, core, 10_000);
    }
  }

  /**
   * @param memberCpuSeconds CPU time of the three member processes over the whole run (start-up,
   *                         preload and warm-up included)
   * @param clientCpuSeconds CPU time of this JVM (the load generator and the client) over the same
   * @param requests         requests completed over the run (preload, warm-up, phases, watch)
   */
  public record SystemResult(String name, LoadGenerator.Result load, List<String> notes, double memberCpuSeconds,
                             double clientCpuSeconds, long requests, HostCpu host) {}

  /**
   * Host CPU over one system's run, from /proc/stat: how busy the whole machine was, and how much
   * of that was neither the members nor this JVM ("other": the contamination check of the etcd
   * anchor; a few percent is normal, tens of percent mean the figures are not trustworthy).
   */
  public record HostCpu(double seconds, double busyShare, double otherShare) {
    static long[] sample() {
      try {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total, idle, System.nanoTime()};
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    static HostCpu between(long[] a, long[] b, double ownCpuSeconds) {
      if (a == null || b == null) return new HostCpu(0, 0, 0);
      double secs = (b[2] - a[2]) / 1e9;
      double totalTicks = b[0] - a[0];
      double busyTicks = totalTicks - (b[1] - a[1]);
      double cores = Runtime.getRuntime().availableProcessors();
      double busy = totalTicks == 0 ? 0 : busyTicks / totalTicks;
      double other = Math.max(0, busy - ownCpuSeconds / (secs * cores));
      return new HostCpu(secs, busy, other);
    }
  }

  static double processCpuSeconds() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
    return 0;
  }

  public record Report(LoadGenerator.Options workload, String dataDir, String fileSystem, SystemResult ours, SystemResult etcd,
                       String etcdSkipped, List<CoreBenchmark.Result> core) {}

  private StoreBenchmark() {}

  /**
   * JVM flags of our member processes ({@code -Dkubelab.bench.memberJvm="..."} overrides, for
   * experiments). Every put's data stays live (the keyspace keeps its history, as etcd does), so
   * a young collection copies everything allocated since the last one that is still live: a small
   * young generation that promotes at once (no survivor copies) keeps each pause to a few
   * milliseconds; a 2 GiB heap keeps the run free of full collections. The serial collector adds
   * no GC threads to a 2-core box. (Measured against -Xmn128m, and against Shenandoah, on this
   * machine: no better, and noisier.)
   */
  static final List<String> MEMBER_JVM = List.of(System.getProperty("kubelab.bench.memberJvm",
      "-XX:+UseSerialGC -Xms256m -Xmx2g -Xmn32m -XX:MaxTenuringThreshold=0").trim().split("\\s+"));

  public static Report run(Options opt, Consumer<String> progress) throws IOException, InterruptedException {
    LoadGenerator.Options w = LoadGenerator.Options.anchor(opt.phaseSeconds(), opt.keys());
    Path base = Files.createTempDirectory("kubelab-bench-store-");
    String fs = fileSystem(base);
    if (fs.equals("tmpfs")) progress.accept("warning: " + base + " is on tmpfs: fsync costs nothing there; set TMPDIR to a real disk");
    try {
      SystemResult ours = runOurs(base.resolve("mini-etcd"), w, opt.routing(), progress);
      SystemResult etcd = null;
      String skipped = null;
      if (opt.etcdClient() == null) {
        skipped = "no etcd client (the lab-store-etcd module is not built)";
      } else if (EtcdProcesses.binary() == null) {
        skipped = "etcd is not installed (Debian: apt-get install etcd-server)";
      } else {
        etcd = runEtcd(base.resolve("etcd"), w, opt.etcdClient(), progress);
      }
      List<CoreBenchmark.Result> core = List.of();
      if (opt.core()) {
        progress.accept("raft core alone, in memory, 3 nodes");
        core = opt.phaseSeconds() >= 5 ? CoreBenchmark.standard()
            : List.of(CoreBenchmark.throughput(3, 200_000, 256, 256), CoreBenchmark.throughput(3, 300_000, 256, 256));
      }
      return new Report(w, base.toString(), fs, ours, etcd, skipped, core);
    } finally {
      if (Boolean.getBoolean("kubelab.bench.keep")) progress.accept("kept " + base);
      else deleteTree(base);
    }
  }

  private static SystemResult runOurs(Path dir, LoadGenerator.Options w, String routing, Consumer<String> progress)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    progress.accept("mini-etcd: starting 3 member processes");
    try (MemberProcesses ms = new MemberProcesses(dir, 3, MEMBER_JVM, List.of())) {
      ms.startAll();
      String leader = ms.awaitLeader(Duration.ofSeconds(30));
      List<InetSocketAddress> eps = ms.endpoints();
      List<RemoteKvStore> conns = new ArrayList<>();
      for (InetSocketAddress a : eps) conns.add(new RemoteKvStore(new InetSocketAddress("127.0.0.1", a.getPort())));
      KvStore cluster;
      if (routing.equals("round-robin")) {
        cluster = new RoundRobinKvStore(conns);
      } else {
        // Our client as it ships: failover over all members, requests kept on the leader, which it
        // finds by itself (RemoteKvStore.connect).
        conns.forEach(RemoteKvStore::close);
        List<InetSocketAddress> local = new ArrayList<>();
        for (InetSocketAddress a : eps) local.add(new InetSocketAddress("127.0.0.1", a.getPort()));
        FailoverKvStore f = RemoteKvStore.connect(local);
        int want = ms.names().indexOf(leader);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (f.currentEndpoint() != want && System.nanoTime() < deadline) Thread.sleep(20);
        cluster = f;
      }
      try (KvStore c = cluster;
           RemoteKvStore writer = new RemoteKvStore(new InetSocketAddress("127.0.0.1", eps.get(0).getPort()));
           RemoteKvStore reader = new RemoteKvStore(new InetSocketAddress("127.0.0.1", eps.get(eps.size() - 1).getPort()))) {
        double client0 = processCpuSeconds();
        double member0 = ms.cpuSeconds();
        long[] host0 = HostCpu.sample();
        LoadGenerator gen = new LoadGenerator(w, line -> progress.accept("mini-etcd: " + line));
        LoadGenerator.Result r = gen.run(c, writer, reader);
        double clientCpu = processCpuSeconds() - client0;
        double memberCpu = ms.cpuSeconds();
        HostCpu host = HostCpu.between(host0, HostCpu.sample(), clientCpu + memberCpu - member0);
        List<String> notes = new ArrayList<>();
        notes.add("client routing: " + routing + (routing.equals("leader") ? " (leader " + leader + ")" : ""));
        for (MemberStatus s : ms.status()) {
          notes.add(String.format("%s: %s, WAL fsyncs %d, mean %.3f ms", s.name(), s.role(), s.fsyncs(), s.fsyncMeanMillis()));
        }
        return new SystemResult("mini-etcd", r, notes, memberCpu, clientCpu, gen.requests(), host);
      }
    }
  }

  private static SystemResult runEtcd(Path dir, LoadGenerator.Options w, Function<List<String>, KvStore> client,
                                      Consumer<String> progress) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    progress.accept("etcd: starting 3 member processes (" + EtcdProcesses.binary() + ")");
    try (EtcdProcesses etcd = new EtcdProcesses(dir, 3)) {
      List<String> eps = etcd.endpoints();
      try (KvStore cluster = client.apply(eps);
           KvStore writer = client.apply(List.of(eps.get(0)));
           KvStore reader = client.apply(List.of(eps.get(eps.size() - 1)))) {
        awaitWritable(cluster);
        double client0 = processCpuSeconds();
        double member0 = etcd.cpuSeconds();
        long[] host0 = HostCpu.sample();
        LoadGenerator gen = new LoadGenerator(w, line -> progress.accept("etcd: " + line));
        LoadGenerator.Result r = gen.run(cluster, writer, reader);
        double clientCpu = processCpuSeconds() - client0;
        double memberCpu = etcd.cpuSeconds();
        HostCpu host = HostCpu.between(host0, HostCpu.sample(), clientCpu + memberCpu - member0);
        progress.accept("etcd: done; stopping the clients");
        return new SystemResult("etcd " + etcdVersion(), r, List.of("client: jetcd, round-robin over the 3 endpoints (its default)"),
            memberCpu, clientCpu, gen.requests(), host);
      } finally {
        progress.accept("etcd: stopping the members");
      }
    } finally {
      progress.accept("etcd: stopped");
    }
  }

  private static void awaitWritable(KvStore kv) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        kv.put(KvStore.PutRequest.of("anchor/ready", new byte[] {1})).get(5, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("etcd did not accept a write within 30 s: " + e.getMessage());
        Thread.sleep(200);
      }
    }
  }

  /** {@code etcd --version}'s first line's version, or "?" */
  public static String etcdVersion() {
    try {
      Process p = new ProcessBuilder(EtcdProcesses.binary(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      for (String line : out.split("\n")) if (line.startsWith("etcd Version:")) return line.substring(13).trim();
    } catch (IOException | InterruptedException e) {
      // unknown
    }
    return "?";
  }

  static String fileSystem(Path p) {
    try {
      return Files.getFileStore(p).type();
    } catch (IOException e) {
      return "?";
    }
  }

  static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // already gone
    }
  }
}
