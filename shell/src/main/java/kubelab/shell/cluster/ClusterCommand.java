package kubelab.shell.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab cluster up [-d] | down | status}: the control plane (a 3-member Raft store and the
 * Kubernetes-compatible API server) on this machine, with a kubeconfig the real kubectl uses.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {"Start, stop and inspect the control plane: the Raft store's members and the API server.",
        "kubectl talks to it with the kubeconfig that 'up' writes (also printed by 'lab kubeconfig')."},
    subcommands = {ClusterUp.class, ClusterDown.class, ClusterStatus.class})
public final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
