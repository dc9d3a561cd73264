package kubelab.scheduler;

import java.util.Objects;
import kubelab.api.core.Node;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.NodeInfo;

/**
 * Classifies a node update into the event kinds plugins register for
 * (nodeSchedulingPropertiesChange): allocatable, labels, taints (cordon included), conditions.
 * An update that touches none of them (a heartbeat) moves no pod.
 */
final class NodeChanges {
  private NodeChanges() {}

  static int actions(Node oldNode, Node newNode) {
    if (oldNode == null) return ClusterEvent.ADD;
    int a = 0;
    NodeInfo o = new NodeInfo(oldNode);
    NodeInfo n = new NodeInfo(newNode);
    if (o.allocatable().milliCpu != n.allocatable().milliCpu || o.allocatable().memory != n.allocatable().memory
        || o.allocatable().ephemeralStorage != n.allocatable().ephemeralStorage
        || o.allocatable().allowedPodNumber != n.allocatable().allowedPodNumber
        || !Objects.equals(o.allocatable().scalar, n.allocatable().scalar)) {
      a |= ClusterEvent.UPDATE_NODE_ALLOCATABLE;
    }
    if (!Objects.equals(oldNode.metadata.labels, newNode.metadata.labels)) a |= ClusterEvent.UPDATE_NODE_LABEL;
    if (!taints(o).equals(taints(n)) || o.unschedulable() != n.unschedulable()) a |= ClusterEvent.UPDATE_NODE_TAINT;
    if (!Objects.equals(conditions(oldNode), conditions(newNode))) a |= ClusterEvent.UPDATE_NODE_CONDITION;
    return a;
  }

  private static String taints(NodeInfo n) {
    StringBuilder sb = new StringBuilder();
    n.taints().forEach(t -> sb.append(t).append(';'));
    return sb.toString();
  }

  private static String conditions(Node n) {
    if (n.status == null || n.status.conditions == null) return "";
    StringBuilder sb = new StringBuilder();
    n.status.conditions.forEach(c -> sb.append(c.type).append('=').append(c.status).append(';'));
    return sb.toString();
  }
}
