package kubelab.scheduler.framework;

import java.util.List;
import kubelab.api.core.Taint;
import kubelab.api.core.Toleration;

/**
 * Taint helpers (k8s.io/component-helpers/scheduling/corev1 FindMatchingUntoleratedTaint).
 * Stateless and thread-safe.
 */
public final class Taints {
  private Taints() {}

  /** Whether any toleration tolerates the taint (empty key + Exists tolerates all; empty effect matches all). */
  public static boolean tolerated(Taint taint, List<Toleration> tolerations) {
    for (Toleration t : tolerations) if (t.tolerates(taint)) return true;
    return false;
  }

  /** A NoSchedule or NoExecute taint: the effects the Filter enforces. */
  public static boolean doNotSchedule(Taint t) {
    return "NoSchedule".equals(t.effect) || "NoExecute".equals(t.effect);
  }

  /** The first NoSchedule/NoExecute taint none of the tolerations tolerates, or null. */
  public static Taint firstUntoleratedDoNotSchedule(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint t : taints) {
      if (doNotSchedule(t) && !tolerated(t, tolerations)) return t;
    }
    return null;
  }
}
