package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * A piece of storage (core/v1 PersistentVolume). {@code nodeAffinity} pins a local volume to the
 * nodes that can reach it: the scheduler only places a pod using it on those nodes ("node(s) had
 * volume node affinity conflict" otherwise). Volume sources other than the typed ones round-trip
 * through {@link #unknownFields()} of the spec.
 */
public class PersistentVolume extends kubelab.api.meta.KubeObject {
  public Spec spec = new Spec();
  public Status status;

  public PersistentVolume() {
    super("v1", "PersistentVolume");
  }

  public static class Spec extends Extensible {
    public Map<String, Quantity> capacity;
    public List<String> accessModes;
    /** The claim this volume is bound (or being bound) to. */
    public ObjectReference claimRef;
    /** Retain, Delete, Recycle. */
    public String persistentVolumeReclaimPolicy;
    public String storageClassName;
    public String volumeMode;
    public VolumeNodeAffinity nodeAffinity;
    public Map<String, Object> hostPath;
    public Map<String, Object> local;
  }

  /** Which nodes can access the volume: a required node selector. */
  public static class VolumeNodeAffinity extends Extensible {
    public NodeSelector required;
  }

  public static class Status extends Extensible {
    /** Pending, Available, Bound, Released, Failed. */
    public String phase;
    public String message;
    public String reason;
  }
}
