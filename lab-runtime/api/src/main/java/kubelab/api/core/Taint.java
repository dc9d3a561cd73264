package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A node property that repels pods without a matching toleration. */
public class Taint extends Extensible {
  public String key;
  public String value;
  /** NoSchedule, PreferNoSchedule or NoExecute. */
  public String effect;
  public String timeAdded;

  public Taint() {}

  public Taint(String key, String value, String effect) {
    this.key = key;
    this.value = value;
    this.effect = effect;
  }

  /** {@code key=value:effect}, as kubectl prints taints. */
  @Override
  public String toString() {
    return key + (value == null || value.isEmpty() ? "" : "=" + value) + ":" + effect;
  }
}
