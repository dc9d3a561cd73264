package kubelab.scheduler.framework;

import java.util.Map;
import kubelab.api.meta.LabelSelector;

/**
 * A label selector prepared for matching thousands of pods in one cycle: a selector made only of
 * matchLabels (the common case) becomes two arrays compared with plain lookups; anything else
 * falls back to {@link LabelSelector#matches}. A null selector matches nothing. Immutable.
 */
public final class CompiledSelector {
  private final LabelSelector selector;
  private final String[] keys;
  private final String[] values;

  public CompiledSelector(LabelSelector selector) {
    this.selector = selector;
    if (selector != null && (selector.matchExpressions == null || selector.matchExpressions.isEmpty())) {
      Map<String, String> ml = selector.matchLabels == null ? Map.of() : selector.matchLabels;
      keys = new String[ml.size()];
      values = new String[ml.size()];
      int i = 0;
      for (var e : ml.entrySet()) {
        keys[i] = e.getKey();
        values[i++] = e.getValue();
      }
    } else {
      keys = null;
      values = null;
    }
  }

  public boolean matches(Map<String, String> labels) {
    if (selector == null) return false;
    if (keys == null) return selector.matches(labels);
    if (keys.length == 0) return true;
    if (labels == null) return false;
    for (int i = 0; i < keys.length; i++) {
      if (!values[i].equals(labels.get(keys[i]))) return false;
    }
    return true;
  }
}
