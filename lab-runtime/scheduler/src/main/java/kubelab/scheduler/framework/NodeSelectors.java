package kubelab.scheduler.framework;

import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.NodeSelector;
import kubelab.api.core.NodeSelectorRequirement;
import kubelab.api.core.NodeSelectorTerm;
import kubelab.api.core.Pod;

/**
 * Node selector matching as k8s.io/component-helpers/scheduling/corev1/nodeaffinity does it.
 *
 * <ul>
 *   <li>A selector's terms are ORed; a selector with no terms matches nothing.
 *   <li>Within a term, every matchExpressions and matchFields requirement must hold; an empty term
 *       matches nothing.
 *   <li>Operators: In, NotIn (true when the label is absent), Exists, DoesNotExist, Gt and Lt
 *       (the label and the single value are integers; a missing or non-numeric label fails).
 *   <li>matchFields supports only {@code metadata.name} with In/NotIn.
 * </ul>
 * Stateless and thread-safe.
 */
public final class NodeSelectors {
  private NodeSelectors() {}

  /** Whether the node satisfies the pod's nodeSelector and required node affinity (both must hold). */
  public static boolean podMatchesNode(Pod pod, String nodeName, Map<String, String> labels) {
    Map<String, String> sel = pod.spec.nodeSelector;
    if (sel != null) {
      for (var e : sel.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      }
    }
    if (pod.spec.affinity != null && pod.spec.affinity.nodeAffinity != null) {
      NodeSelector req = pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      if (req != null && !matches(req, nodeName, labels)) return false;
    }
    return true;
  }

  public static boolean matches(NodeSelector selector, Node node) {
    return matches(selector, node.metadata.name, node.metadata.labels == null ? Map.of() : node.metadata.labels);
  }

  public static boolean matches(NodeSelector selector, String nodeName, Map<String, String> labels) {
    if (selector.nodeSelectorTerms == null) return false;
    for (NodeSelectorTerm t : selector.nodeSelectorTerms) {
      if (termMatches(t, nodeName, labels)) return true;
    }
    return false;
  }

  public static boolean termMatches(NodeSelectorTerm t, String nodeName, Map<String, String> labels) {
    if (t == null) return false;
    boolean noExpr = t.matchExpressions == null || t.matchExpressions.isEmpty();
    boolean noFields = t.matchFields == null || t.matchFields.isEmpty();
    if (noExpr && noFields) return false;
    if (!noExpr) {
      for (NodeSelectorRequirement r : t.matchExpressions) {
        if (!requirementMatches(r, labels.get(r.key), labels.containsKey(r.key))) return false;
      }
    }
    if (!noFields) {
      for (NodeSelectorRequirement r : t.matchFields) {
        if (!"metadata.name".equals(r.key)) return false;
        if (!"In".equals(r.operator) && !"NotIn".equals(r.operator)) return false;
        if (!requirementMatches(r, nodeName, true)) return false;
      }
    }
    return true;
  }

  /** One requirement against a label value ({@code present} false: the label is absent). */
  public static boolean requirementMatches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> vals = r.values == null ? List.of() : r.values;
    String op = r.operator == null ? "" : r.operator;
    switch (op) {
      case "In":
        return present && vals.contains(value);
      case "NotIn":
        return !present || !vals.contains(value);
      case "Exists":
        return present;
      case "DoesNotExist":
        return !present;
      case "Gt":
      case "Lt": {
        if (!present || vals.size() != 1) return false;
        try {
          long have = Long.parseLong(value);
          long want = Long.parseLong(vals.get(0));
          return op.equals("Gt") ? have > want : have < want;
        } catch (NumberFormatException e) {
          return false;
        }
      }
      default:
        return false;
    }
  }
}
