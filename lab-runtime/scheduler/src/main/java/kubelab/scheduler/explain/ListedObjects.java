package kubelab.scheduler.explain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Namespace;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.storage.StorageClass;
import kubelab.scheduler.framework.ClusterObjects;

/**
 * {@link ClusterObjects} over objects listed once (what {@code lab explain scheduling} fetched from
 * the API server). Immutable after construction; lists may be empty when the server does not
 * serve a resource.
 */
public final class ListedObjects implements ClusterObjects {
  private final Map<String, PersistentVolumeClaim> pvcs = new HashMap<>();
  private final Map<String, PersistentVolume> pvs = new HashMap<>();
  private final Map<String, StorageClass> classes = new HashMap<>();
  private final List<PodDisruptionBudget> pdbs;
  private final Map<String, Map<String, String>> nsLabels = new HashMap<>();

  public ListedObjects(List<PersistentVolumeClaim> pvcs, List<PersistentVolume> pvs, List<StorageClass> classes,
      List<PodDisruptionBudget> pdbs, List<Namespace> namespaces) {
    for (var c : pvcs) this.pvcs.put(c.metadata.namespace + "/" + c.metadata.name, c);
    for (var v : pvs) this.pvs.put(v.metadata.name, v);
    for (var s : classes) this.classes.put(s.metadata.name, s);
    this.pdbs = List.copyOf(pdbs);
    for (var n : namespaces) nsLabels.put(n.metadata.name, n.metadata.labels == null ? Map.of() : n.metadata.labels);
  }

  @Override public PersistentVolumeClaim pvc(String namespace, String name) { return pvcs.get(namespace + "/" + name); }
  @Override public PersistentVolume pv(String name) { return pvs.get(name); }
  @Override public List<PersistentVolume> pvs() { return List.copyOf(pvs.values()); }
  @Override public StorageClass storageClass(String name) { return classes.get(name); }
  @Override public List<PodDisruptionBudget> pdbs() { return pdbs; }
  @Override public Map<String, String> namespaceLabels(String namespace) { return nsLabels.getOrDefault(namespace, Map.of()); }
}
