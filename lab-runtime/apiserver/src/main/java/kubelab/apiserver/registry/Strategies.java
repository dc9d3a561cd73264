package kubelab.apiserver.registry;

import java.util.HashMap;
import java.util.Map;

/** The strategy of each kind that needs more than the generic behaviour, keyed "group/plural". */
public final class Strategies {
  private Strategies() {}

  public static Map<String, Strategy> builtin(ObjectStore store) {
    Map<String, Strategy> m = new HashMap<>();
    m.put("/pods", new PodStrategy());
    m.put("/namespaces", new NamespaceStrategy());
    m.put("/services", new ServiceStrategy(store));
    m.put("/configmaps", CoreStrategies.configMap());
    m.put("/secrets", CoreStrategies.secret());
    m.put("/nodes", CoreStrategies.node());
    m.put("/limitranges", CoreStrategies.limitRange());
    m.put("/resourcequotas", CoreStrategies.resourceQuota());
    m.put("/events", CoreStrategies.event());
    m.put("apps/deployments", WorkloadStrategies.deployment());
    m.put("apps/replicasets", WorkloadStrategies.replicaSet());
    m.put("apps/daemonsets", WorkloadStrategies.daemonSet());
    m.put("apps/statefulsets", WorkloadStrategies.statefulSet());
    m.put("batch/jobs", WorkloadStrategies.job());
    m.put("batch/cronjobs", WorkloadStrategies.cronJob());
    m.put("scheduling.k8s.io/priorityclasses", CoreStrategies.priorityClass());
    m.put("policy/poddisruptionbudgets", CoreStrategies.podDisruptionBudget());
    m.put("rbac.authorization.k8s.io/roles", CoreStrategies.role(false));
    m.put("rbac.authorization.k8s.io/clusterroles", CoreStrategies.role(true));
    m.put("rbac.authorization.k8s.io/rolebindings", CoreStrategies.binding(false));
    m.put("rbac.authorization.k8s.io/clusterrolebindings", CoreStrategies.binding(true));
    return m;
  }

  /** The namespaces finalize subresource's update rule. */
  public static com.fasterxml.jackson.databind.node.ObjectNode finalizeNamespace(
      com.fasterxml.jackson.databind.node.ObjectNode desired, com.fasterxml.jackson.databind.node.ObjectNode current) {
    return NamespaceStrategy.finalize(desired, current);
  }
}
