package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Pods matching {@code labelSelector} in {@code namespaces}, within the domain named by {@code topologyKey}. */
public class PodAffinityTerm extends Extensible {
  public kubelab.api.meta.LabelSelector labelSelector;
  public List<String> namespaces;
  public kubelab.api.meta.LabelSelector namespaceSelector;
  public String topologyKey;
}
