package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Where a pod volume appears inside a container. */
public class VolumeMount extends Extensible {
  public String name;
  public String mountPath;
  public Boolean readOnly;
  public String subPath;
}
