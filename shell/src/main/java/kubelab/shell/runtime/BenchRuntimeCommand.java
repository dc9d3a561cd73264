package kubelab.shell.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import kubelab.container.ContainerSpec;
import kubelab.container.LinuxRuntime;
import kubelab.container.NetworkMode;
import kubelab.container.Trace;
import kubelab.container.image.Image;
import kubelab.container.image.ImageStore;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.Json;
import kubelab.container.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab bench runtime [--json]}: what one container costs.
 *
 * <ol>
 *   <li><b>Library, warm JVM</b>: busybox {@code true}, create → start → wait → remove, no
 *       network, through {@link LinuxRuntime} in this JVM; against {@code runc run} and
 *       {@code crun run} on the same rootfs as an OCI bundle (from {@code runc spec}: terminal
 *       off, args {@code /bin/true}). The three alternate, round by round, in a rotating order.
 *       runc and crun run from one helper shell in a private mount namespace: on a hybrid cgroup
 *       host crun 1.8 refuses to start unless the cgroup2 mount is hidden, so the helper unmounts
 *       it there (the host keeps it), and runc runs in the same conditions.</li>
 *   <li><b>CLI end to end</b>: {@code ./lab run --rm busybox true} (a new JVM each time) against
 *       {@code docker run --rm --network none} when a docker engine answers.</li>
 * </ol>
 * Medians and p90 are nearest-rank; ratios are ours / peer, of the medians.
 */
@Command(name = "runtime", mixinStandardHelpOptions = true,
    description = {"Benchmark the container runtime against runc, crun (and docker run when available).",
        "Needs root. Prints median and p90 in ms and the ratios (ours / peer)."})
public final class BenchRuntimeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--json", description = "Print one JSON object.") boolean json;
  @Option(names = "--runs", description = "Measured containers per runtime (default ${DEFAULT-VALUE}).") int runs = 100;
  @Option(names = "--warmup", description = "Unmeasured containers per runtime first (default ${DEFAULT-VALUE}).") int warmup = 30;
  @Option(names = "--cli-runs", description = "Runs of the CLI end to end (0 to skip; default ${DEFAULT-VALUE}).") int cliRuns = 20;
  @Option(names = "--lab", paramLabel = "PATH", description = "The ./lab launcher to time (default: found next to the jar).") Path lab;
  @Option(names = "--root", paramLabel = "DIR", description = "Where the bench's runtime root goes (default: a temporary directory on tmpfs, /run or /dev/shm, as runc keeps its state in /run).") Path benchRoot;
  @Option(names = "--net", paramLabel = "MODE", description = "Network of the library's containers: none (default; the peers have none either) or bridge (to time the veth setup).") String net = "none";
  @Option(names = "--no-dockerd", description = "Do not start a temporary dockerd when no docker engine answers.") boolean noDockerd;

  private final Map<String, Object> result = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    LinuxRuntime.requireRoot();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path parent = benchRoot != null ? benchRoot : fsType(Path.of("/run")).equals("tmpfs") ? Path.of("/run") : Path.of("/dev/shm");
    Files.createDirectories(parent);
    Path root = Files.createTempDirectory(parent, "kubelab-bench");
    result.put("root_fs", fsType(root));
    NetworkMode netMode = NetworkMode.parse(net);
    result.put("network", netMode.toString());
    Helper helper = null;
    try {
      ImageStore images = Runtimes.images(root);
      if (images == null) throw new IllegalStateException("this build has no image store");
      LinuxRuntime rt = new LinuxRuntime(root, images);
      Image busybox = images.resolve("busybox");
      Path bundle = root.resolve("bundle");
      boolean haveRunc = onPath("runc"), haveCrun = onPath("crun");
      if (haveRunc || haveCrun) {
        makeBundle(images.layerDirs(busybox), bundle);
        helper = new Helper(bundle);
      }
      conditions();
      progress(err, "library: " + warmup + " warm-up + " + runs + " measured containers per runtime, alternating");
      List<String> names = new ArrayList<>(List.of("kubelab"));
      if (haveRunc) names.add("runc");
      if (haveCrun) names.add("crun");
      Map<String, double[]> samples = new LinkedHashMap<>();
      for (String n : names) samples.put(n, new double[runs]);
      for (int i = -warmup; i < runs; i++) {
        for (int k = 0; k < names.size(); k++) {
          String n = names.get((k + Math.floorMod(i, names.size())) % names.size());
          double ms = switch (n) {
            case "kubelab" -> ours(rt, netMode);
            default -> helper.run(n, i);
          };
          if (i >= 0) samples.get(n)[i] = ms;
        }
      }
      for (var e : samples.entrySet()) record(e.getKey(), e.getValue());
      if (haveRunc) result.put("time_ratio_vs_runc", ratio("kubelab", "runc"));
      if (haveCrun) result.put("time_ratio_vs_crun", ratio("kubelab", "crun"));
      if (cliRuns > 0) cli(err, root, bundle, images.layerDirs(busybox));
    } finally {
      if (helper != null) helper.close();
      StateStore.deleteTree(root);
    }
    if (json) {
      out.println(Json.write(result, false));
    } else {
      print(out);
    }
    out.flush();
    return 0;
  }

  private double ours(LinuxRuntime rt, NetworkMode net) {
    long t0 = System.nanoTime();
    ContainerRecord c = rt.create(ContainerSpec.builder("busybox").network(net).command("/bin/true").build());
    rt.start(c.id, Trace.NONE, null);
    rt.waitFor(c.id, null);
    rt.remove(c.id, false);
    return (System.nanoTime() - t0) / 1e6;
  }

  // --- runc / crun ---------------------------------------------------------------------------

  private static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
      if (Files.isExecutable(Path.of(d, cmd))) return true;
    return Files.isExecutable(Path.of("/usr/sbin", cmd));
  }

  /** bundle/rootfs = a copy of the image's layers; bundle/config.json = `runc spec` with our three changes. */
  private static void makeBundle(List<Path> layers, Path bundle) throws IOException, InterruptedException {
    Path rootfs = bundle.resolve("rootfs");
    Files.createDirectories(rootfs);
    for (int i = layers.size() - 1; i >= 0; i--) {
      exec(List.of("cp", "-a", layers.get(i) + "/.", rootfs.toString()));
    }
    exec(List.of(onPath("runc") ? "runc" : "crun", "spec", "--bundle", bundle.toString()));
    Map<String, Object> cfg = Json.parseObject(Files.readString(bundle.resolve("config.json")));
    @SuppressWarnings("unchecked") Map<String, Object> process = (Map<String, Object>) cfg.get("process");
    process.put("terminal", false);
    process.put("args", List.of("/bin/true"));
    @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) cfg.get("root");
    r.put("readonly", false);
    Files.writeString(bundle.resolve("config.json"), Json.write(cfg, true));
  }

  private static void exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + o.trim());
  }

  /**
   * One shell in a private mount namespace that runs {@code runc|crun run} on request and
   * answers with the elapsed time it measured itself, so the pipe round trip is not counted.
   */
  private static final class Helper implements AutoCloseable {
    private final Process p;
    private final Writer in;
    private final BufferedReader out;

    Helper(Path bundle) throws IOException {
      String hide = Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) && isMount("/sys/fs/cgroup/unified")
          ? "umount /sys/fs/cgroup/unified 2>/dev/null; " : "";
      String script = hide + "cd " + bundle + "; while read rt id; do "
          + "s=${EPOCHREALTIME/./}; $rt run --bundle " + bundle + " kubelab-bench-$id >/dev/null 2>&1 </dev/null; rc=$?; "
          + "e=${EPOCHREALTIME/./}; echo $rc $((e-s)); done";
      p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "bash", "-c", script)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static boolean isMount(String path) {
      try {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.split(" ")[4].equals(path));
      } catch (IOException e) {
        return false;
      }
    }

    double run(String rt, int i) throws IOException {
      in.write(rt + " " + rt + (i + 1_000_000) + "\n");
      in.flush();
      String line = out.readLine();
      if (line == null) throw new IOException("the runc/crun helper died");
      String[] f = line.trim().split(" ");
      if (!f[0].equals("0")) throw new IOException(rt + " run failed (exit " + f[0] + "); try it by hand: " + rt + " run --bundle BUNDLE id");
      return Long.parseLong(f[1]) / 1e3; // microseconds from bash's EPOCHREALTIME
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.destroyForcibly();
    }
  }

  // --- CLI end to end vs docker --------------------------------------------------------------

  private Path findLab() {
    if (lab != null) return lab;
    try {
      Path jar = Path.of(BenchRuntimeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path l = jar.getParent().getParent().getParent().resolve("lab"); // shell/target/lab.jar → ./lab
      return Files.isExecutable(l) ? l : null;
    } catch (Exception e) {
      return null;
    }
  }

  private void cli(PrintWriter err, Path root, Path bundle, List<Path> layers) throws Exception {
    Path l = findLab();
    if (l == null) {
      result.put("cli_skipped", "no ./lab launcher found next to the jar (give --lab PATH)");
      return;
    }
    Process dockerd = null;
    try {
      if (!dockerAvailable() && !noDockerd && onPath("dockerd")) dockerd = startDockerd(err, root);
      cli(err, root, bundle, layers, l);
    } finally {
      if (dockerd != null) {
        progress(err, "stopping the temporary dockerd");
        dockerd.destroy();
        if (!dockerd.waitFor(20, TimeUnit.SECONDS)) dockerd.destroyForcibly().waitFor();
        dockerHost = null;
      }
    }
  }

  private static String dockerHost;

  /**
   * A dockerd of our own for the comparison, as the runtime anchors measured it: no iptables,
   * no bridge, its state in the bench's temporary root; stopped when the bench ends.
   */
  private Process startDockerd(PrintWriter err, Path root) throws Exception {
    Path d = root.resolve("dockerd");
    Files.createDirectories(d);
    String sock = "unix://" + d.resolve("docker.sock");
    progress(err, "starting a temporary dockerd (no iptables, no bridge) for the comparison");
    Process p = new ProcessBuilder("dockerd", "--iptables=false", "--bridge=none", "--data-root", d.resolve("data").toString(),
        "--exec-root", d.resolve("exec").toString(), "--pidfile", d.resolve("docker.pid").toString(), "-H", sock)
        .redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile()).start();
    dockerHost = sock;
    for (int i = 0; i < 300; i++) {
      if (dockerAvailable()) return p;
      if (!p.isAlive()) break;
      Thread.sleep(100);
    }
    p.destroyForcibly().waitFor();
    dockerHost = null;
    result.put("docker_skipped", "dockerd did not start (see its log); compare by hand");
    return null;
  }

  private static ProcessBuilder docker(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    if (dockerHost != null) {
      cmd.add("-H");
      cmd.add(dockerHost);
    }
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  private void cli(PrintWriter err, Path root, Path bundle, List<Path> layers, Path l) throws Exception {
    boolean docker = dockerAvailable();
    String image = "kubelab-bench/busybox:1";
    if (docker) {
      Path rootfs = bundle.resolve("rootfs");
      if (!Files.isDirectory(rootfs)) makeBundle(layers, bundle);
      exec(List.of("sh", "-c", "tar -C " + rootfs + " -c . | docker " + (dockerHost == null ? "" : "-H " + dockerHost + " ")
          + "import - " + image + " >/dev/null"));
    } else {
      result.put("docker_skipped", "no docker engine answers (docker info); start dockerd to compare");
    }
    progress(err, "CLI end to end: " + cliRuns + " runs of ./lab run --rm busybox true" + (docker ? ", alternating with docker run --rm --network none" : ""));
    // Literally issue 2's command (default bridge networking), with its root beside the temporary
    // dockerd's data root so both write to the same filesystem.
    List<String> labCmd = List.of(l.toString(), "run", "--root", root.resolve("cli").toString(), "--rm", "busybox", "true");
    double[] ours = new double[cliRuns], theirs = new double[cliRuns];
    timeCmd(labCmd); // first use: builds the busybox image under the bench root
    for (int i = 0; i < cliRuns; i++) {
      ours[i] = timeCmd(labCmd);
      if (docker) theirs[i] = timeCmd(docker(List.of("run", "--rm", "--network", "none", image, "/bin/true")).command());
    }
    record("cli", ours);
    if (docker) {
      record("docker", theirs);
      result.put("time_ratio_cli_vs_docker", ratio("cli", "docker"));
      exec(docker(List.of("rmi", image)).command());
    }
  }

  private static boolean dockerAvailable() {
    if (!onPath("docker")) return false;
    try {
      Process p = docker(List.of("info")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static double timeCmd(List<String> cmd) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int rc = p.waitFor();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc);
    return ms;
  }

  // --- figures ---------------------------------------------------------------------------------

  private static String fsType(Path p) {
    try {
      return Files.getFileStore(p).type();
    } catch (IOException e) {
      return "?";
    }
  }

  private void conditions() {
    try {
      result.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
      result.put("loadavg", Files.readString(Path.of("/proc/loadavg")).trim());
    } catch (IOException e) {
      // not essential
    }
    result.put("cpus", Runtime.getRuntime().availableProcessors());
    result.put("cgroup", kubelab.container.cgroups.CgroupDriver.detect().version());
    result.put("runs", runs);
    result.put("warmup", warmup);
  }

  private static double pct(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, idx))];
  }

  private void record(String name, double[] v) {
    result.put(name + "_median_ms", round(pct(v, 50)));
    result.put(name + "_p90_ms", round(pct(v, 90)));
  }

  private double ratio(String a, String b) {
    return round(((Number) result.get(a + "_median_ms")).doubleValue() / ((Number) result.get(b + "_median_ms")).doubleValue());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private void progress(PrintWriter err, String s) {
    if (!json) {
      err.println("bench: " + s);
      err.flush();
    }
  }

  private void print(PrintWriter out) {
    out.printf("conditions: kernel %s, %s CPUs, cgroup %s, runtime root on %s, load %s%n", result.get("kernel"), result.get("cpus"),
        result.get("cgroup"), result.get("root_fs"), result.get("loadavg"));
    out.printf("%-34s %10s %10s%n", "per container (busybox true)", "median ms", "p90 ms");
    for (String n : List.of("kubelab", "runc", "crun")) {
      if (result.containsKey(n + "_median_ms"))
        out.printf("%-34s %10.2f %10.2f%n", n.equals("kubelab") ? "kubelab (library, warm JVM)" : n + " run", result.get(n + "_median_ms"), result.get(n + "_p90_ms"));
    }
    if (result.containsKey("time_ratio_vs_runc")) out.printf(Locale.ROOT, "ratio vs runc: %.2f (goal <= 0.5)%n", result.get("time_ratio_vs_runc"));
    if (result.containsKey("time_ratio_vs_crun")) out.printf(Locale.ROOT, "ratio vs crun: %.2f%n", result.get("time_ratio_vs_crun"));
    if (result.containsKey("cli_median_ms")) {
      out.printf("%-34s %10.2f %10.2f%n", "./lab run --rm busybox true", result.get("cli_median_ms"), result.get("cli_p90_ms"));
      if (result.containsKey("docker_median_ms")) {
        out.printf("%-34s %10.2f %10.2f%n", "docker run --rm --network none", result.get("docker_median_ms"), result.get("docker_p90_ms"));
        out.printf(Locale.ROOT, "ratio CLI vs docker run: %.2f (goal <= 1)%n", result.get("time_ratio_cli_vs_docker"));
      }
    }
    for (String k : List.of("cli_skipped", "docker_skipped")) if (result.containsKey(k)) out.println("note: " + result.get(k));
  }
}
