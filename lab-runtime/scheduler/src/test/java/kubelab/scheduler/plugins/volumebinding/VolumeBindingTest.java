package kubelab.scheduler.plugins.volumebinding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import kubelab.api.core.NodeSelector;
import kubelab.api.core.NodeSelectorRequirement;
import kubelab.api.core.NodeSelectorTerm;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.ResourceRequirements;
import kubelab.api.resource.Quantity;
import kubelab.api.storage.StorageClass;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.plugins.PluginHarness;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {
  static PersistentVolumeClaim claim(String name, String volume, String sc) {
    PersistentVolumeClaim c = new PersistentVolumeClaim();
    c.metadata.name = name;
    c.metadata.namespace = "default";
    c.spec.volumeName = volume;
    c.spec.storageClassName = sc;
    c.spec.accessModes = List.of("ReadWriteOnce");
    c.spec.resources = new ResourceRequirements();
    c.spec.resources.requests = Map.of("storage", Quantity.parse("1Gi"));
    return c;
  }

  static PersistentVolume localPv(String name, String node, String sc) {
    PersistentVolume v = new PersistentVolume();
    v.metadata.name = name;
    v.spec.storageClassName = sc;
    v.spec.capacity = Map.of("storage", Quantity.parse("5Gi"));
    v.spec.accessModes = List.of("ReadWriteOnce");
    v.spec.nodeAffinity = new PersistentVolume.VolumeNodeAffinity();
    v.spec.nodeAffinity.required = new NodeSelector();
    NodeSelectorTerm t = new NodeSelectorTerm();
    t.matchExpressions = List.of(new NodeSelectorRequirement("kubernetes.io/hostname", "In", List.of(node)));
    v.spec.nodeAffinity.required.nodeSelectorTerms = List.of(t);
    return v;
  }

  static StorageClass sc(String name, String mode, String provisioner) {
    StorageClass s = new StorageClass();
    s.metadata.name = name;
    s.volumeBindingMode = mode;
    s.provisioner = provisioner;
    return s;
  }

  PluginHarness harness() {
    return new PluginHarness(List.of(MakeNode.named("node-1").obj(), MakeNode.named("node-2").obj()), List.of());
  }

  @Test
  void aMissingClaimKeepsThePodOutWithItsName() {
    PluginHarness h = harness();
    Status s = h.filter(h.plugin(VolumeBinding.NAME), MakePod.named("p").pvc("data").obj(), "node-1");
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of("persistentvolumeclaim \"data\" not found"), s.reasons());
  }

  @Test
  void anUnboundClaimOfAnImmediateClassKeepsThePodOut() {
    PluginHarness h = harness();
    h.cluster.addStorageClass(sc("fast", "Immediate", "example.com/p"));
    h.cluster.addPvc(claim("data", null, "fast"));
    Status s = h.filter(h.plugin(VolumeBinding.NAME), MakePod.named("p").pvc("data").obj(), "node-1");
    assertEquals(List.of("pod has unbound immediate PersistentVolumeClaims"), s.reasons());
  }

  @Test
  void aBoundLocalVolumePinsThePodToItsNode() {
    PluginHarness h = harness();
    h.cluster.addPv(localPv("pv-1", "node-1", "local"));
    h.cluster.addPvc(claim("data", "pv-1", "local"));
    var pl = h.plugin(VolumeBinding.NAME);
    assertEquals(Status.Code.SUCCESS, h.filter(pl, MakePod.named("p").pvc("data").obj(), "node-1").code());
    Status other = h.filter(pl, MakePod.named("p").pvc("data").obj(), "node-2");
    assertEquals(List.of("node(s) had volume node affinity conflict"), other.reasons());
  }

  @Test
  void aClaimBoundToAMissingVolumeIsReported() {
    PluginHarness h = harness();
    h.cluster.addPvc(claim("data", "gone", "local"));
    Status s = h.filter(h.plugin(VolumeBinding.NAME), MakePod.named("p").pvc("data").obj(), "node-1");
    assertEquals(List.of("node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"), s.reasons());
  }

  @Test
  void aWaitForFirstConsumerClaimNeedsAVolumeTheNodeCanReach() {
    PluginHarness h = harness();
    h.cluster.addStorageClass(sc("local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner"));
    h.cluster.addPv(localPv("pv-2", "node-2", "local"));
    h.cluster.addPvc(claim("data", null, "local"));
    var pl = h.plugin(VolumeBinding.NAME);
    assertEquals(List.of("node(s) didn't find available persistent volumes to bind"),
        h.filter(pl, MakePod.named("p").pvc("data").obj(), "node-1").reasons());
    assertEquals(Status.Code.SUCCESS, h.filter(pl, MakePod.named("p").pvc("data").obj(), "node-2").code());
  }

  @Test
  void aPodWithoutClaimsSkipsThePlugin() {
    PluginHarness h = harness();
    var pl = (VolumeBinding) h.plugin(VolumeBinding.NAME);
    var pod = MakePod.named("p").obj();
    assertEquals(Status.Code.SKIP, pl.preFilter(h.state(pod), pod).code());
  }
}
