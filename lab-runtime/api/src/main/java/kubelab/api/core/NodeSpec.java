package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** core/v1 NodeSpec. {@code unschedulable} is what {@code kubectl cordon} sets. */
public class NodeSpec extends Extensible {
  public String podCIDR;
  public List<String> podCIDRs;
  public String providerID;
  public Boolean unschedulable;
  public List<Taint> taints;
}
