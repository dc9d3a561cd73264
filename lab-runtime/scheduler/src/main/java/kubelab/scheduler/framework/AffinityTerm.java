package kubelab.scheduler.framework;

import java.util.Map;
import java.util.Set;
import kubelab.api.core.PodAffinityTerm;
import kubelab.api.meta.LabelSelector;

/**
 * A pod (anti-)affinity term made ready to evaluate: the namespaces it looks in, its label
 * selector and the topology key that defines a domain (Kubernetes' framework.AffinityTerm).
 *
 * <p>Rules from the API: a term without namespaces and without a namespace selector looks in the
 * pod's own namespace; a null label selector matches no pod; an empty one matches every pod; an
 * empty namespace selector matches every namespace. Immutable.
 */
public record AffinityTerm(
    Set<String> namespaces, LabelSelector selector, String topologyKey, LabelSelector namespaceSelector) {

  public static AffinityTerm of(String podNamespace, PodAffinityTerm t) {
    Set<String> ns;
    if ((t.namespaces == null || t.namespaces.isEmpty()) && t.namespaceSelector == null) {
      ns = Set.of(podNamespace == null ? "default" : podNamespace);
    } else {
      ns = t.namespaces == null ? Set.of() : Set.copyOf(t.namespaces);
    }
    return new AffinityTerm(ns, t.labelSelector, t.topologyKey == null ? "" : t.topologyKey, t.namespaceSelector);
  }

  /**
   * Whether {@code pod} is one of the pods this term refers to.
   *
   * @param namespaceLabels labels of the pod's namespace (only read with a namespace selector)
   */
  public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
    String podNs = pod.namespace();
    boolean nsOk = namespaces.contains(podNs)
        || (namespaceSelector != null && namespaceSelector.matches(namespaceLabels));
    if (!nsOk) return false;
    return selector != null && selector.matches(pod.labels());
  }

  /** Like {@link #matches(PodInfo, Map)}, looking the namespace's labels up only when needed. */
  public boolean matches(PodInfo pod, ClusterObjects objects) {
    if (selector == null) return false;
    boolean nsOk = namespaces.contains(pod.namespace())
        || (namespaceSelector != null && namespaceSelector.matches(objects.namespaceLabels(pod.namespace())));
    return nsOk && selector.matches(pod.labels());
  }
}
