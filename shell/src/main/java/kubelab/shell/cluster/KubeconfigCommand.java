package kubelab.shell.cluster;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kubelab.cluster.ClusterPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab kubeconfig}: prints the cluster's kubeconfig to stdout, like
 * {@code kind get kubeconfig}: {@code lab kubeconfig > ~/.kube/config}.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
    description = {"Print the cluster's kubeconfig (lab kubeconfig > ~/.kube/config).",
        "Users: admin (default; cluster-admin), learner (read-only), super-admin (bypasses RBAC), scheduler."})
public final class KubeconfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StateOption state;

  @Option(names = "--user", paramLabel = "USER", defaultValue = "admin",
      description = "Whose kubeconfig: admin, learner, super-admin or scheduler (default: ${DEFAULT-VALUE}).")
  String user;

  @Override
  public Integer call() throws Exception {
    ClusterPki.User u = ClusterPki.USERS.stream().filter(x -> x.cert().equals(user)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown user '" + user + "': use admin, learner, super-admin or scheduler"));
    Path f = state.clusterDir().resolve(u.kubeconfig());
    if (!Files.exists(f)) {
      throw new IllegalStateException("no kubeconfig at " + f + ": start the cluster first (lab cluster up -d)");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(Files.readString(f));
    out.flush();
    return 0;
  }
}
