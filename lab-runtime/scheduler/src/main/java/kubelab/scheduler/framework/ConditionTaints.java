package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import kubelab.api.core.Node;
import kubelab.api.core.Taint;
import kubelab.api.meta.Condition;
import kubelab.scheduler.SchedulerReasons;

/**
 * The taints a node presents to the scheduler: its own {@code spec.taints} plus the NoSchedule
 * taints implied by its conditions (TaintNodesByCondition).
 *
 * <p>Since v1.12 the scheduler no longer has CheckNodeMemoryPressure/DiskPressure predicates (the
 * seeds' list): the node lifecycle controller turns each bad condition into a taint and the
 * TaintToleration filter does the rest. KubeLab's controllers are not written yet, so the scheduler
 * applies the same mapping when it reads a node; a taint already on the node is never added twice,
 * so nothing changes once a controller writes them. Only conditions actually reported count: a
 * node without a Ready condition gets no not-ready taint here (a kubelet would add one when it
 * registers the node).
 *
 * <pre>
 * Ready=False              node.kubernetes.io/not-ready:NoSchedule
 * Ready=Unknown            node.kubernetes.io/unreachable:NoSchedule
 * MemoryPressure=True      node.kubernetes.io/memory-pressure:NoSchedule
 * DiskPressure=True        node.kubernetes.io/disk-pressure:NoSchedule
 * PIDPressure=True         node.kubernetes.io/pid-pressure:NoSchedule
 * NetworkUnavailable=True  node.kubernetes.io/network-unavailable:NoSchedule
 * </pre>
 */
public final class ConditionTaints {
  private ConditionTaints() {}

  public static List<Taint> effectiveTaints(Node node) {
    List<Taint> out = node.spec == null || node.spec.taints == null
        ? new ArrayList<>() : new ArrayList<>(node.spec.taints);
    if (node.status == null || node.status.conditions == null) return out;
    for (Condition c : node.status.conditions) {
      String key = taintFor(c);
      if (key == null) continue;
      boolean present = false;
      for (Taint t : out) {
        if (key.equals(t.key) && "NoSchedule".equals(t.effect)) present = true;
      }
      if (!present) out.add(new Taint(key, null, "NoSchedule"));
    }
    return out;
  }

  private static String taintFor(Condition c) {
    if (c.type == null) return null;
    return switch (c.type) {
      case "Ready" -> "False".equals(c.status) ? SchedulerReasons.TAINT_NOT_READY
          : "Unknown".equals(c.status) ? SchedulerReasons.TAINT_UNREACHABLE : null;
      case "MemoryPressure" -> "True".equals(c.status) ? SchedulerReasons.TAINT_MEMORY_PRESSURE : null;
      case "DiskPressure" -> "True".equals(c.status) ? SchedulerReasons.TAINT_DISK_PRESSURE : null;
      case "PIDPressure" -> "True".equals(c.status) ? SchedulerReasons.TAINT_PID_PRESSURE : null;
      case "NetworkUnavailable" -> "True".equals(c.status) ? SchedulerReasons.TAINT_NETWORK_UNAVAILABLE : null;
      default -> null;
    };
  }
}
