package kubelab.api.policy;

import kubelab.api.meta.Extensible;
import kubelab.api.meta.KubeObject;
import kubelab.api.meta.LabelSelector;

/** policy/v1 PodDisruptionBudget: how many matching pods voluntary disruptions may take down. */
public class PodDisruptionBudget extends KubeObject {
  public Spec spec = new Spec();
  public Status status;

  public PodDisruptionBudget() {
    super("policy/v1", "PodDisruptionBudget");
  }

  public static class Spec extends Extensible {
    /** An integer or a percentage string ("50%"). */
    public Object minAvailable;
    public Object maxUnavailable;
    public LabelSelector selector;
  }

  public static class Status extends Extensible {
    public Integer disruptionsAllowed;
    public Integer currentHealthy;
    public Integer desiredHealthy;
    public Integer expectedPods;
  }
}
