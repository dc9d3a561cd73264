package kubelab.scheduler.plugins.podtopologyspread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.api.core.TopologySpreadConstraint;
import kubelab.api.meta.LabelSelector;
import kubelab.scheduler.framework.CompiledSelector;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeSelectors;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.Taints;

/**
 * One topology spread constraint made ready to evaluate: maxSkew, the topology key, whether it is a
 * hard rule (DoNotSchedule), which pods count, minDomains and the node inclusion policies.
 *
 * <p>Which pods count: those in the incoming pod's namespace, not terminating, matching the label
 * selector (with {@code matchLabelKeys} added as {@code key In [the pod's value]}). For the
 * system default constraints, kube-scheduler derives the selector from the Services, ReplicaSets
 * and StatefulSets selecting the pod; KubeLab uses the pods with the same controller owner (what a
 * ReplicaSet's selector selects), and a bare pod gets no default constraints, as upstream.
 */
record SpreadConstraint(
    int maxSkew,
    String topologyKey,
    boolean doNotSchedule,
    LabelSelector selector,
    String ownerUid,
    int minDomains,
    boolean honorNodeAffinity,
    boolean honorTaints,
    CompiledSelector compiled) {

  SpreadConstraint(int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector, String ownerUid,
      int minDomains, boolean honorNodeAffinity, boolean honorTaints) {
    this(maxSkew, topologyKey, doNotSchedule, selector, ownerUid, minDomains, honorNodeAffinity, honorTaints,
        new CompiledSelector(selector));
  }

  static SpreadConstraint of(TopologySpreadConstraint c, Map<String, String> podLabels) {
    LabelSelector sel = c.labelSelector;
    if (c.matchLabelKeys != null && !c.matchLabelKeys.isEmpty() && podLabels != null) {
      LabelSelector merged = new LabelSelector();
      if (sel != null) {
        merged.matchLabels = sel.matchLabels;
        merged.matchExpressions = sel.matchExpressions == null ? new ArrayList<>() : new ArrayList<>(sel.matchExpressions);
      } else {
        merged.matchExpressions = new ArrayList<>();
      }
      for (String k : c.matchLabelKeys) {
        String v = podLabels.get(k);
        if (v == null) continue;
        LabelSelector.LabelSelectorRequirement r = new LabelSelector.LabelSelectorRequirement();
        r.key = k;
        r.operator = "In";
        r.values = List.of(v);
        merged.matchExpressions.add(r);
      }
      sel = merged;
    }
    return new SpreadConstraint(
        c.maxSkew == null ? 1 : c.maxSkew,
        c.topologyKey == null ? "" : c.topologyKey,
        !"ScheduleAnyway".equals(c.whenUnsatisfiable),
        sel,
        null,
        c.minDomains == null ? 1 : c.minDomains,
        !"Ignore".equals(c.nodeAffinityPolicy),
        "Honor".equals(c.nodeTaintsPolicy));
  }

  /** Whether {@code p} counts for this constraint of a pod in {@code namespace}. */
  boolean counts(PodInfo p, String namespace) {
    if (p.isTerminating() || !p.namespace().equals(namespace)) return false;
    return selects(p);
  }

  /** Selector match only (for "does the incoming pod match itself"). */
  boolean selects(PodInfo p) {
    if (ownerUid != null) return ownerUid.equals(p.controllerUid());
    return compiled.matches(p.labels());
  }

  int countOn(NodeInfo n, String namespace) {
    if (n.pods().isEmpty()) return 0;
    int c = 0;
    for (PodInfo p : n.pods()) if (counts(p, namespace)) c++;
    return c;
  }

  /** The node inclusion policies: does this node's domain take part in the skew calculation? */
  boolean includesNode(PodInfo pod, NodeInfo n) {
    if (honorNodeAffinity && !NodeSelectors.podMatchesNode(pod.pod(), n.name(), n.labels())) return false;
    return !honorTaints || Taints.firstUntoleratedDoNotSchedule(n.taints(), pod.tolerations()) == null;
  }
}
