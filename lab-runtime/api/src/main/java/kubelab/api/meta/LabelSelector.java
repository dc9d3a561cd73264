package kubelab.api.meta;

import java.util.List;
import java.util.Map;

/**
 * A label query: every matchLabels pair and every matchExpressions requirement must hold (AND).
 * An empty selector matches everything; a null selector (absent field) matches nothing where the
 * API says so (e.g. pod affinity terms).
 */
public class LabelSelector extends Extensible {
  public Map<String, String> matchLabels;
  public List<LabelSelectorRequirement> matchExpressions;

  public static class LabelSelectorRequirement extends Extensible {
    public String key;
    /** In, NotIn, Exists, DoesNotExist. */
    public String operator;
    public List<String> values;
  }

  /** Whether {@code labels} (may be null: no labels) satisfy this selector. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (matchLabels != null) {
      for (var e : matchLabels.entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) return false;
      }
    }
    if (matchExpressions != null) {
      for (LabelSelectorRequirement r : matchExpressions) {
        String v = l.get(r.key);
        boolean ok = switch (r.operator) {
          case "In" -> v != null && r.values != null && r.values.contains(v);
          case "NotIn" -> v == null || r.values == null || !r.values.contains(v);
          case "Exists" -> l.containsKey(r.key);
          case "DoesNotExist" -> !l.containsKey(r.key);
          default -> false;
        };
        if (!ok) return false;
      }
    }
    return true;
  }
}
