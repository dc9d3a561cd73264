package kubelab.api.scheduling;

import kubelab.api.meta.KubeObject;

/**
 * scheduling.k8s.io/v1 PriorityClass: a name for an integer priority. User classes may use up to
 * 1,000,000,000; system-cluster-critical is 2,000,000,000 and system-node-critical 2,000,001,000.
 * Admission copies the value into {@code pod.spec.priority}.
 */
public class PriorityClass extends KubeObject {
  public Integer value;
  public Boolean globalDefault;
  public String description;
  /** PreemptLowerPriority (default) or Never. */
  public String preemptionPolicy;

  public PriorityClass() {
    super("scheduling.k8s.io/v1", "PriorityClass");
  }
}
