package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Spread matching pods across topology domains with at most {@code maxSkew} difference. */
public class TopologySpreadConstraint extends Extensible {
  public Integer maxSkew;
  public String topologyKey;
  /** DoNotSchedule or ScheduleAnyway. */
  public String whenUnsatisfiable;
  public kubelab.api.meta.LabelSelector labelSelector;
  public Integer minDomains;
  /** Honor (default) or Ignore. */
  public String nodeAffinityPolicy;
  /** Honor or Ignore (default). */
  public String nodeTaintsPolicy;
  public List<String> matchLabelKeys;
}
