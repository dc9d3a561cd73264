package kubelab.store.server;

import java.util.List;
import kubelab.store.server.Peers.Peer;

/**
 * The answer to {@code members add} and {@code members remove} (etcd's MemberAddResponse and
 * MemberRemoveResponse): the member added or removed, and the members once the change is applied.
 *
 * @param clusterId the cluster's id (hex), for the "added to cluster ..." line
 */
public record MembershipChange(Peer member, List<Peer> members, String clusterId) {
  public MembershipChange {
    members = List.copyOf(members);
  }
}
