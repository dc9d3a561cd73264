package kubelab.shell.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kubelab.cluster.ClusterConfig;
import kubelab.cluster.ClusterState;
import kubelab.cluster.ControlPlane;
import kubelab.cluster.KubeconfigMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab cluster up [-d]}: starts the store members and the API server, writes the
 * kubeconfigs, merges the admin one into the user's kubeconfig (like kind), and then either stays
 * in the foreground until Ctrl-C, or, with {@code -d}, leaves a background process with a pid
 * file and a log ({@code lab cluster down} stops it).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start the control plane: 3 Raft store members and the API server on 127.0.0.1:6443.",
        "Writes admin.conf (and learner.conf, read-only) and makes it kubectl's current context."})
public final class ClusterUp implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOption state;

  @Option(names = {"-d", "--detach"}, description = "Run in the background (pid file and log in the state directory).")
  boolean detach;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "6443", description = "API server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address the API server listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 = every address).")
  String bindAddress;

  @Option(names = "--extra-san", paramLabel = "NAME|IP",
      description = "Add a Subject Alternative Name to the API server's certificate (repeatable).")
  List<String> extraSans = new ArrayList<>();

  @Option(names = "--no-kubeconfig-merge", description = "Do not touch the user's kubeconfig (~/.kube/config or $KUBECONFIG).")
  boolean noMerge;

  @Option(names = "--child", hidden = true, description = "Internal: the detached process itself.")
  boolean child;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClusterState st = state.state();
    Optional<ProcessHandle> running = st.running();
    if (running.isPresent()) {
      throw new IllegalStateException("a KubeLab cluster is already running (pid " + running.get().pid() + ", "
          + st.url().orElse("?") + "): stop it with 'lab cluster down', or use it (lab kubeconfig)");
    }
    ClusterConfig cfg = new ClusterConfig(state.clusterDir(), bindAddress, port, List.copyOf(extraSans),
        ClusterConfig.DEFAULT_STORE_MEMBERS, ClusterConfig.DEFAULT_STORE_PORTS);
    if (detach && !child) return detach(out, st);
    ControlPlane cp = ControlPlane.start(cfg, line -> {
      out.println(line);
      out.flush();
    });
    st.markRunning(cp.url());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cp.close();
      st.clear();
      stopped.countDown();
    }, "cluster-shutdown"));
    if (!child) {
      summary(out, st, cp.url());
      out.println("Press Ctrl-C to stop the control plane.");
      out.flush();
    }
    stopped.await();
    return 0;
  }

  private int detach(PrintWriter out, ClusterState st) throws IOException, InterruptedException {
    Files.createDirectories(st.dir());
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid"); // a session of its own: no SIGHUP from this terminal
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-XX:ArchiveClassesAtExit") || a.startsWith("-XX:TieredStopAtLevel")) continue;
      cmd.add(a);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("kubelab.shell.Main");
    cmd.addAll(List.of("cluster", "up", "--child", "--root", state.root.toString(), "--port", Integer.toString(port),
        "--bind-address", bindAddress));
    for (String s : extraSans) cmd.addAll(List.of("--extra-san", s));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(st.dir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(st.logFile().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    out.println("Starting the KubeLab control plane in the background (pid " + p.pid() + ", log " + st.logFile() + ") ...");
    out.flush();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> r = st.running();
      if (r.isPresent() && r.get().pid() == p.pid()) {
        summary(out, st, st.url().orElse("?"));
        return 0;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the control plane exited during start-up (exit " + p.exitValue() + "): "
            + lastLines(st.logFile(), 5));
      }
      Thread.sleep(100);
    }
    p.destroy();
    throw new IllegalStateException("the control plane did not come up within 120 s; see " + st.logFile());
  }

  private void summary(PrintWriter out, ClusterState st, String url) throws IOException {
    String merged = "";
    if (!noMerge) {
      Path user = KubeconfigMerge.userKubeconfig();
      try {
        KubeconfigMerge.merge(st.adminKubeconfig(), user);
        merged = user.toString();
      } catch (IOException e) {
        out.println("note: could not merge into " + user + ": " + e.getMessage());
      }
    }
    out.println("KubeLab control plane is up: API server " + url);
    out.println("  admin kubeconfig: " + st.adminKubeconfig() + (merged.isEmpty() ? ""
        : " (merged into " + merged + ", context kubernetes-admin@kubelab)"));
    out.println("  read-only:        " + st.dir().resolve("learner.conf"));
    out.println("Try: kubectl get nodes,namespaces");
    out.flush();
  }

  static String lastLines(Path f, int n) {
    try {
      List<String> lines = Files.readAllLines(f);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
