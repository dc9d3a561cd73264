package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Pod affinity or anti-affinity (the same shape serves both fields of {@link Affinity}). */
public class PodAffinity extends Extensible {
  public List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;
  public List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;

  public static class WeightedPodAffinityTerm extends Extensible {
    public Integer weight;
    public PodAffinityTerm podAffinityTerm;
  }
}
