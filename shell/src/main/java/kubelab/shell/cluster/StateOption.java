package kubelab.shell.cluster;

import java.nio.file.Path;
import kubelab.cluster.ClusterState;
import picocli.CommandLine.Option;

/**
 * {@code --root DIR}: KubeLab's state directory; the cluster keeps its store, PKI and kubeconfigs
 * in {@code DIR/cluster}. Same default as the runtime's --root (KUBELAB_ROOT, else /var/lib/kubelab).
 */
public final class StateOption {
  @Option(names = "--root", paramLabel = "DIR", defaultValue = "${env:KUBELAB_ROOT:-/var/lib/kubelab}",
      description = "KubeLab's state directory; the cluster lives in DIR/cluster (default: ${DEFAULT-VALUE}).")
  public Path root;

  public Path clusterDir() {
    return root.resolve("cluster");
  }

  public ClusterState state() {
    return new ClusterState(clusterDir());
  }
}
