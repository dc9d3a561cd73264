package kubelab.shell.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import kubelab.cluster.ClusterState;
import kubelab.cluster.KubeconfigMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab cluster down}: stops the running control plane (SIGTERM: the API server stops,
 * then the store members flush and close their WALs) and removes its context from the user's
 * kubeconfig. The store's data stays: the next {@code up} finds the same objects.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stop the control plane. The store's data stays for the next 'up' (use --purge to delete it).")
public final class ClusterDown implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOption state;

  @Option(names = "--purge", description = "Also delete the store's data, the PKI and the kubeconfigs.")
  boolean purge;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClusterState st = state.state();
    Optional<ProcessHandle> r = st.running();
    boolean stopped = st.stop(Duration.ofSeconds(30));
    if (stopped) out.println("Stopped the KubeLab control plane (pid " + r.map(ProcessHandle::pid).orElse(0L) + ").");
    else out.println("No KubeLab cluster is running.");
    try {
      KubeconfigMerge.remove(st.adminKubeconfig(), KubeconfigMerge.userKubeconfig());
    } catch (java.io.IOException e) {
      out.println("note: could not clean " + KubeconfigMerge.userKubeconfig() + ": " + e.getMessage());
    }
    if (purge && java.nio.file.Files.exists(st.dir())) {
      try (var s = java.nio.file.Files.walk(st.dir())) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      out.println("Deleted " + st.dir() + ".");
    }
    out.flush();
    return 0;
  }
}
