package kubelab.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code lab cluster up} starts the control plane.
 *
 * @param stateDir where the store's WAL and snapshots, the PKI and the kubeconfigs live
 * @param bindAddress the API server's listen address (127.0.0.1; 0.0.0.0 listens on every address)
 * @param port the API server's port (6443, as kube-apiserver; 0 picks a free one)
 * @param extraSans names and addresses added to the serving certificate's SANs
 * @param storeMembers how many Raft members the store has (3)
 * @param storePorts the store members' client-and-peer ports on 127.0.0.1 (2379, 22379, 32379 as
 *     in etcd's local-cluster convention, so {@code lab store get} reaches the cluster's store by
 *     default); empty picks free ports (tests, the benchmark)
 */
public record ClusterConfig(Path stateDir, String bindAddress, int port, List<String> extraSans, int storeMembers,
                            List<Integer> storePorts) {
  public static final int DEFAULT_PORT = 6443;
  public static final int DEFAULT_STORE_MEMBERS = 3;
  public static final List<Integer> DEFAULT_STORE_PORTS = List.of(2379, 22379, 32379);

  public static ClusterConfig defaults(Path stateDir) {
    return new ClusterConfig(stateDir, "127.0.0.1", DEFAULT_PORT, List.of(), DEFAULT_STORE_MEMBERS, DEFAULT_STORE_PORTS);
  }

  /** The same, on free ports for the API server and the store (tests, benchmarks). */
  public ClusterConfig onFreePorts() {
    return new ClusterConfig(stateDir, bindAddress, 0, extraSans, storeMembers, List.of());
  }

  /** The address clients use: the bind address, or loopback when bound to every address. */
  public String clientHost() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
  }
}
