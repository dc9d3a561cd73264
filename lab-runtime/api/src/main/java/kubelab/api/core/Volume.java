package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * A pod volume. Only the name and the source kinds KubeLab acts on are typed; other sources stay in
 * {@link #unknownFields()} and round-trip untouched.
 */
public class Volume extends Extensible {
  public String name;
  public Map<String, Object> emptyDir;
  public Map<String, Object> hostPath;
  public Map<String, Object> configMap;
  public Map<String, Object> secret;
  public Map<String, Object> projected;
  public PersistentVolumeClaimSource persistentVolumeClaim;

  public static class PersistentVolumeClaimSource extends Extensible {
    public String claimName;
    public Boolean readOnly;
  }
}
