package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Node affinity, pod affinity and pod anti-affinity of a pod. */
public class Affinity extends Extensible {
  public NodeAffinity nodeAffinity;
  public PodAffinity podAffinity;
  public PodAffinity podAntiAffinity;
}
