package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A machine that runs pods: its taints and pod CIDR (spec), its capacity and conditions (status). */
public class Node extends kubelab.api.meta.KubeObject {
  public NodeSpec spec = new NodeSpec();
  public NodeStatus status;

  public Node() {
    super("v1", "Node");
  }
}
