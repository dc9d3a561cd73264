package kubelab.api.storage;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.KubeObject;

/**
 * storage.k8s.io/v1 StorageClass: who provisions volumes of this class and when claims bind.
 * {@code volumeBindingMode} Immediate (default) binds as soon as the claim exists;
 * WaitForFirstConsumer waits until the scheduler has picked a node for a pod using the claim.
 */
public class StorageClass extends KubeObject {
  public String provisioner;
  public Map<String, String> parameters;
  public String reclaimPolicy;
  public String volumeBindingMode;
  public Boolean allowVolumeExpansion;
  public List<Map<String, Object>> allowedTopologies;

  public StorageClass() {
    super("storage.k8s.io/v1", "StorageClass");
  }
}
