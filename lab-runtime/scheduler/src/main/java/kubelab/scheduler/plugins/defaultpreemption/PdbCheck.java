package kubelab.scheduler.plugins.defaultpreemption;

import java.util.List;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.Snapshot;

/**
 * Which would-be victims a PodDisruptionBudget protects (filterPodsWithPDBViolation): each
 * matching budget's allowed disruptions are spent in the order the victims come; a pod whose
 * removal drives a budget below zero "violates" it. A budget with an empty selector matches
 * nothing. Disruptions allowed come from {@code status.disruptionsAllowed}; without a status
 * (KubeLab has no disruption controller yet) from the spec: {@code healthy − minAvailable}, or
 * {@code maxUnavailable − unhealthy}, percentages rounded up against the matching pods.
 */
final class PdbCheck {
  private final List<PodDisruptionBudget> pdbs;
  private final int[] allowed;

  PdbCheck(List<PodDisruptionBudget> pdbs, Snapshot snapshot) {
    this.pdbs = pdbs;
    this.allowed = new int[pdbs.size()];
    for (int i = 0; i < pdbs.size(); i++) allowed[i] = allowedDisruptions(pdbs.get(i), snapshot);
  }

  void split(List<PodInfo> victims, List<PodInfo> violating, List<PodInfo> nonViolating) {
    for (PodInfo v : victims) {
      boolean violated = false;
      if (v.labels() != null && !v.labels().isEmpty()) {
        for (int i = 0; i < pdbs.size(); i++) {
          PodDisruptionBudget pdb = pdbs.get(i);
          if (!matches(pdb, v)) continue;
          allowed[i]--;
          if (allowed[i] < 0) violated = true;
        }
      }
      (violated ? violating : nonViolating).add(v);
    }
  }

  private static boolean matches(PodDisruptionBudget pdb, PodInfo p) {
    String ns = pdb.metadata.namespace == null ? "default" : pdb.metadata.namespace;
    if (!ns.equals(p.namespace())) return false;
    var sel = pdb.spec == null ? null : pdb.spec.selector;
    boolean empty = sel == null || ((sel.matchLabels == null || sel.matchLabels.isEmpty())
        && (sel.matchExpressions == null || sel.matchExpressions.isEmpty()));
    return !empty && sel.matches(p.labels());
  }

  static int allowedDisruptions(PodDisruptionBudget pdb, Snapshot snapshot) {
    if (pdb.status != null && pdb.status.disruptionsAllowed != null) return pdb.status.disruptionsAllowed;
    int expected = 0;
    int healthy = 0;
    for (NodeInfo n : snapshot.list()) {
      for (PodInfo p : n.pods()) {
        if (!matches(pdb, p)) continue;
        expected++;
        if (!p.isTerminating()) healthy++;
      }
    }
    if (pdb.spec.minAvailable != null) {
      int min = resolve(pdb.spec.minAvailable, expected);
      return Math.max(0, healthy - min);
    }
    if (pdb.spec.maxUnavailable != null) {
      int max = resolve(pdb.spec.maxUnavailable, expected);
      return Math.max(0, max - (expected - healthy));
    }
    return 0;
  }

  private static int resolve(Object intOrPercent, int total) {
    String s = intOrPercent.toString().trim();
    if (s.endsWith("%")) {
      int pct = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(total * pct / 100.0);
    }
    return Integer.parseInt(s);
  }
}
