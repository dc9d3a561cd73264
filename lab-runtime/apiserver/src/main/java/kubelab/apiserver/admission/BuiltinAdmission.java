package kubelab.apiserver.admission;

import java.util.List;
import kubelab.apiserver.registry.ObjectStore;

/**
 * The built-in admission chain, in Kubernetes 1.32's recommended order (the subset KubeLab
 * implements): NamespaceLifecycle, LimitRanger, ServiceAccount, Priority,
 * DefaultTolerationSeconds, ResourceQuota. ResourceQuota is last, so it counts what the others
 * defaulted (a LimitRange default request satisfies a quota's "must specify").
 */
public final class BuiltinAdmission {
  private BuiltinAdmission() {}

  public static List<AdmissionPlugin> plugins(ObjectStore store) {
    return List.of(
        new NamespaceLifecycle(store),
        new LimitRanger(store),
        new ServiceAccountAdmission(store),
        new PriorityAdmission(store),
        new DefaultTolerationSeconds(),
        new ResourceQuotaAdmission(store));
  }
}
