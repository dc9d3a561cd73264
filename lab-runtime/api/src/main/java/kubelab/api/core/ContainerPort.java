package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A port a container listens on; a hostPort also claims the port on the node (NodePorts filter). */
public class ContainerPort extends Extensible {
  public String name;
  public Integer containerPort;
  public Integer hostPort;
  /** TCP (default), UDP, SCTP. */
  public String protocol;
  public String hostIP;
}
