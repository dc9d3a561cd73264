package kubelab.scheduler.plugins.volumebinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.resource.Quantity;
import kubelab.api.storage.StorageClass;
import kubelab.scheduler.SchedulerReasons;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.EnqueueExtensions;
import kubelab.scheduler.framework.FilterPlugin;
import kubelab.scheduler.framework.Handle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.NodeSelectors;
import kubelab.scheduler.framework.PreBindPlugin;
import kubelab.scheduler.framework.PreFilterPlugin;
import kubelab.scheduler.framework.ReservePlugin;
import kubelab.scheduler.framework.Status;

/**
 * VolumeBinding, the "lite" version: the scheduler's part of the Pod → PVC → PV chain.
 *
 * <ul>
 *   <li>PreFilter: every claim the pod mounts must exist ({@code persistentvolumeclaim "x" not
 *       found}) and not be deleting; a claim that is unbound although its class binds Immediately
 *       (or has no class) keeps the pod out: {@code pod has unbound immediate PersistentVolumeClaims}.
 *       Pods without claims skip the plugin.
 *   <li>Filter: a bound claim's volume must exist and its {@code nodeAffinity} must admit the node
 *       ({@code node(s) had volume node affinity conflict}: the local-PV-on-a-cordoned-node case);
 *       a WaitForFirstConsumer claim needs an available volume of its class, size and access
 *       modes that the node can reach, or a class with a provisioner; otherwise
 *       {@code node(s) didn't find available persistent volumes to bind}. All unresolvable.
 *   <li>Reserve/Unreserve: the volumes chosen for the node are held for this pod, so the next
 *       cycle does not pick them too. PreBind writes the binding (claimRef and volumeName).
 * </ul>
 * Left out (v1.32 has them): dynamic provisioning's selected-node annotation, CSI storage capacity,
 * volume zone labels, the PV controller's side.
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  public static final String NAME = "VolumeBinding";
  private static final CycleState.Key<Claims> KEY = new CycleState.Key<>("PreFilter" + NAME);
  private static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  private final Handle handle;
  /** PV name → key of the pod it is reserved for, between Reserve and the binding. */
  private final Map<String, String> assumedPvs = new ConcurrentHashMap<>();

  record Binding(PersistentVolumeClaim pvc, PersistentVolume pv) {}

  static final class Claims implements CycleState.StateData {
    final List<PersistentVolumeClaim> bound = new ArrayList<>();
    final List<PersistentVolumeClaim> delayed = new ArrayList<>();
    /** Node → the volumes Filter chose there for the delayed claims (written concurrently by Filter). */
    final Map<String, List<Binding>> byNode = new ConcurrentHashMap<>();
  }

  public VolumeBinding(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    List<String> names = state.podInfo().claimNames();
    if (names.isEmpty()) return Status.SKIP;
    String ns = state.podInfo().namespace();
    Claims c = new Claims();
    boolean unboundImmediate = false;
    for (String n : names) {
      PersistentVolumeClaim pvc = handle.objects().pvc(ns, n);
      if (pvc == null) return Status.unresolvable(String.format(SchedulerReasons.PVC_NOT_FOUND_FORMAT, n));
      if (pvc.metadata.deletionTimestamp != null) {
        return Status.unresolvable(String.format(SchedulerReasons.PVC_BEING_DELETED_FORMAT, n));
      }
      if (pvc.spec.volumeName != null && !pvc.spec.volumeName.isEmpty()) {
        c.bound.add(pvc);
      } else if (waitForFirstConsumer(pvc)) {
        c.delayed.add(pvc);
      } else {
        unboundImmediate = true;
      }
    }
    if (unboundImmediate) return Status.unresolvable(SchedulerReasons.UNBOUND_IMMEDIATE_PVC);
    state.write(KEY, c);
    return Status.SUCCESS;
  }

  private boolean waitForFirstConsumer(PersistentVolumeClaim pvc) {
    if (pvc.spec.storageClassName == null || pvc.spec.storageClassName.isEmpty()) return false;
    StorageClass sc = handle.objects().storageClass(pvc.spec.storageClassName);
    return sc != null && "WaitForFirstConsumer".equals(sc.volumeBindingMode);
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    Claims c = state.require(KEY);
    for (PersistentVolumeClaim pvc : c.bound) {
      PersistentVolume pv = handle.objects().pv(pvc.spec.volumeName);
      if (pv == null) return Status.unresolvable(SchedulerReasons.PV_NOT_EXIST);
      if (!pvAdmits(pv, node)) return Status.unresolvable(SchedulerReasons.VOLUME_NODE_CONFLICT);
    }
    if (c.delayed.isEmpty()) return Status.SUCCESS;
    List<Binding> chosen = new ArrayList<>();
    List<String> taken = new ArrayList<>();
    for (PersistentVolumeClaim pvc : c.delayed) {
      PersistentVolume pv = findVolume(pvc, node, taken);
      if (pv != null) {
        chosen.add(new Binding(pvc, pv));
        taken.add(pv.metadata.name);
        continue;
      }
      StorageClass sc = handle.objects().storageClass(pvc.spec.storageClassName);
      if (sc == null || sc.provisioner == null || sc.provisioner.equals(NO_PROVISIONER)) {
        return Status.unresolvable(SchedulerReasons.VOLUME_BIND_CONFLICT);
      }
    }
    c.byNode.put(node.name(), chosen);
    return Status.SUCCESS;
  }

  private static boolean pvAdmits(PersistentVolume pv, NodeInfo node) {
    if (pv.spec.nodeAffinity == null || pv.spec.nodeAffinity.required == null) return true;
    return NodeSelectors.matches(pv.spec.nodeAffinity.required, node.name(), node.labels());
  }

  /** The smallest available volume that satisfies the claim on this node (as the PV controller picks). */
  private PersistentVolume findVolume(PersistentVolumeClaim pvc, NodeInfo node, List<String> taken) {
    long want = 0;
    if (pvc.spec.resources != null && pvc.spec.resources.requests != null) {
      Quantity q = pvc.spec.resources.requests.get("storage");
      if (q != null) want = q.value();
    }
    PersistentVolume best = null;
    long bestSize = Long.MAX_VALUE;
    for (PersistentVolume pv : handle.objects().pvs()) {
      if (pv.spec.claimRef != null || taken.contains(pv.metadata.name) || assumedPvs.containsKey(pv.metadata.name)) continue;
      if (!java.util.Objects.equals(pv.spec.storageClassName, pvc.spec.storageClassName)) continue;
      long size = pv.spec.capacity == null || pv.spec.capacity.get("storage") == null ? 0 : pv.spec.capacity.get("storage").value();
      if (size < want) continue;
      if (pvc.spec.accessModes != null && (pv.spec.accessModes == null || !pv.spec.accessModes.containsAll(pvc.spec.accessModes))) continue;
      if (!pvAdmits(pv, node)) continue;
      if (size < bestSize) {
        best = pv;
        bestSize = size;
      }
    }
    return best;
  }

  @Override
  public Status reserve(CycleState state, Pod pod, String nodeName) {
    Claims c = state.read(KEY);
    if (c == null) return Status.SUCCESS;
    for (Binding b : c.byNode.getOrDefault(nodeName, List.of())) {
      if (assumedPvs.putIfAbsent(b.pv().metadata.name, state.podInfo().key()) != null) {
        return Status.unschedulable(SchedulerReasons.VOLUME_BIND_CONFLICT);
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public void unreserve(CycleState state, Pod pod, String nodeName) {
    Claims c = state.read(KEY);
    if (c == null) return;
    String me = state.podInfo().key();
    for (Binding b : c.byNode.getOrDefault(nodeName, List.of())) assumedPvs.remove(b.pv().metadata.name, me);
  }

  @Override
  public Status preBind(CycleState state, Pod pod, String nodeName) {
    Claims c = state.read(KEY);
    if (c == null) return Status.SUCCESS;
    for (Binding b : c.byNode.getOrDefault(nodeName, List.of())) {
      handle.api().bindVolume(b.pv(), b.pvc());
      assumedPvs.remove(b.pv().metadata.name);
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Resource.PERSISTENT_VOLUME_CLAIM, ClusterEvent.ADD | ClusterEvent.UPDATE),
        new ClusterEvent(ClusterEvent.Resource.PERSISTENT_VOLUME, ClusterEvent.ADD | ClusterEvent.UPDATE),
        new ClusterEvent(ClusterEvent.Resource.STORAGE_CLASS, ClusterEvent.ADD | ClusterEvent.UPDATE),
        new ClusterEvent(ClusterEvent.Resource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
  }
}
