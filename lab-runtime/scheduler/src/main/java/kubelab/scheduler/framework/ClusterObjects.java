package kubelab.scheduler.framework;

import java.util.List;
import java.util.Map;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.storage.StorageClass;

/**
 * Read-only access to the objects besides nodes and pods that plugins consult: claims, volumes,
 * storage classes, disruption budgets and namespace labels (the informer listers of Kubernetes'
 * framework.Handle). Implementations must be thread-safe; returned objects must not be modified.
 */
public interface ClusterObjects {
  PersistentVolumeClaim pvc(String namespace, String name);

  PersistentVolume pv(String name);

  List<PersistentVolume> pvs();

  StorageClass storageClass(String name);

  List<PodDisruptionBudget> pdbs();

  /** Labels of a namespace (for namespaceSelector in pod affinity); empty when unknown. */
  Map<String, String> namespaceLabels(String namespace);

  /** No objects at all. */
  ClusterObjects NONE = new ClusterObjects() {
    @Override public PersistentVolumeClaim pvc(String namespace, String name) { return null; }
    @Override public PersistentVolume pv(String name) { return null; }
    @Override public List<PersistentVolume> pvs() { return List.of(); }
    @Override public StorageClass storageClass(String name) { return null; }
    @Override public List<PodDisruptionBudget> pdbs() { return List.of(); }
    @Override public Map<String, String> namespaceLabels(String namespace) { return Map.of(); }
  };
}
