package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * Lets a pod be scheduled onto (or stay on) a node with a matching taint. An empty key with
 * operator Exists matches every taint; an empty effect matches every effect of the key.
 */
public class Toleration extends Extensible {
  public String key;
  /** Equal (default) or Exists. */
  public String operator;
  public String value;
  /** NoSchedule, PreferNoSchedule, NoExecute, or empty for all. */
  public String effect;
  /** For NoExecute: how long the pod may stay after the taint appears; null means forever. */
  public Long tolerationSeconds;

  /** Whether this toleration tolerates {@code taint} (k8s.io/api ToleratesTaint). */
  public boolean tolerates(Taint taint) {
    if (effect != null && !effect.isEmpty() && !effect.equals(taint.effect)) return false;
    if (key != null && !key.isEmpty() && !key.equals(taint.key)) return false;
    String op = operator == null || operator.isEmpty() ? "Equal" : operator;
    switch (op) {
      case "Exists":
        return true;
      case "Equal":
        return java.util.Objects.equals(value == null ? "" : value, taint.value == null ? "" : taint.value);
      default:
        return false;
    }
  }
}
