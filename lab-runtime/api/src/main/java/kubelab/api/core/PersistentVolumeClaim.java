package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.meta.LabelSelector;
import kubelab.api.resource.Quantity;

/**
 * A request for storage (core/v1 PersistentVolumeClaim): a size, access modes and a class; bound
 * to one PersistentVolume through {@code spec.volumeName}. The scheduler's VolumeBinding plugin
 * reads it; a pod mounting an unbound claim whose class binds immediately stays Pending.
 */
public class PersistentVolumeClaim extends kubelab.api.meta.KubeObject {
  public Spec spec = new Spec();
  public Status status;

  public PersistentVolumeClaim() {
    super("v1", "PersistentVolumeClaim");
  }

  public static class Spec extends Extensible {
    /** ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod. */
    public List<String> accessModes;
    public ResourceRequirements resources;
    /** The bound PersistentVolume's name; empty while unbound. */
    public String volumeName;
    public String storageClassName;
    /** Filesystem (default) or Block. */
    public String volumeMode;
    public LabelSelector selector;
  }

  public static class Status extends Extensible {
    /** Pending, Bound, Lost. */
    public String phase;
    public List<String> accessModes;
    public Map<String, Quantity> capacity;
  }
}
