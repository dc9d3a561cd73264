package kubelab.scheduler.server;

import java.util.List;
import java.util.Map;
import kubelab.api.core.Namespace;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.storage.StorageClass;
import kubelab.client.informer.SharedIndexInformer;
import kubelab.scheduler.framework.ClusterObjects;

/**
 * {@link ClusterObjects} read from informer caches (the listers of kube-scheduler's handle). An
 * informer may be null when the API server does not serve that resource: it then holds nothing.
 * Thread-safe (the indexers are).
 */
final class InformerObjects implements ClusterObjects {
  private final SharedIndexInformer<PersistentVolumeClaim> pvcs;
  private final SharedIndexInformer<PersistentVolume> pvs;
  private final SharedIndexInformer<StorageClass> classes;
  private final SharedIndexInformer<PodDisruptionBudget> pdbs;
  private final SharedIndexInformer<Namespace> namespaces;

  InformerObjects(SharedIndexInformer<PersistentVolumeClaim> pvcs, SharedIndexInformer<PersistentVolume> pvs,
      SharedIndexInformer<StorageClass> classes, SharedIndexInformer<PodDisruptionBudget> pdbs,
      SharedIndexInformer<Namespace> namespaces) {
    this.pvcs = pvcs;
    this.pvs = pvs;
    this.classes = classes;
    this.pdbs = pdbs;
    this.namespaces = namespaces;
  }

  @Override public PersistentVolumeClaim pvc(String namespace, String name) {
    return pvcs == null ? null : pvcs.lister().get(namespace, name);
  }

  @Override public PersistentVolume pv(String name) {
    return pvs == null ? null : pvs.lister().get(name);
  }

  @Override public List<PersistentVolume> pvs() {
    return pvs == null ? List.of() : pvs.lister().list();
  }

  @Override public StorageClass storageClass(String name) {
    return classes == null ? null : classes.lister().get(name);
  }

  @Override public List<PodDisruptionBudget> pdbs() {
    return pdbs == null ? List.of() : pdbs.lister().list();
  }

  @Override public Map<String, String> namespaceLabels(String namespace) {
    if (namespaces == null) return Map.of();
    Namespace n = namespaces.lister().get(namespace);
    return n == null || n.metadata.labels == null ? Map.of() : n.metadata.labels;
  }
}
