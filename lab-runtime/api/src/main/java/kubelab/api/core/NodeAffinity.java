package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Required (a filter) and preferred (a weighted score) node affinity. */
public class NodeAffinity extends Extensible {
  public NodeSelector requiredDuringSchedulingIgnoredDuringExecution;
  public List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution;

  /** A weight 1-100 and a term; nodes matching the term get the weight. */
  public static class PreferredSchedulingTerm extends Extensible {
    public Integer weight;
    public NodeSelectorTerm preference;
  }
}
