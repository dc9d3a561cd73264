package kubelab.api.coordination;

import kubelab.api.meta.Extensible;
import kubelab.api.meta.KubeObject;

/**
 * coordination.k8s.io/v1 Lease: node heartbeats (kube-node-lease) and leader election of the
 * scheduler and controller manager (kube-system). Times are RFC 3339 with microseconds.
 */
public class Lease extends KubeObject {
  public LeaseSpec spec = new LeaseSpec();

  public Lease() {
    super("coordination.k8s.io/v1", "Lease");
  }

  public static class LeaseSpec extends Extensible {
    public String holderIdentity;
    public Integer leaseDurationSeconds;
    public String acquireTime;
    public String renewTime;
    public Integer leaseTransitions;
  }
}
