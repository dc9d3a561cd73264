package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** core/v1 NodeStatus: capacity, allocatable (capacity minus reservations), conditions, images. */
public class NodeStatus extends Extensible {
  public Map<String, Quantity> capacity;
  public Map<String, Quantity> allocatable;
  public List<kubelab.api.meta.Condition> conditions;
  public List<Map<String, String>> addresses;
  public Map<String, Object> daemonEndpoints;
  public Map<String, Object> nodeInfo;
  public List<ContainerImage> images;

  /** An image present on the node (ImageLocality scores on these). */
  public static class ContainerImage extends Extensible {
    public List<String> names;
    public Long sizeBytes;
  }
}
