package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * Requests (what the scheduler reserves on a node) and limits (what the cgroup enforces) per
 * resource name: cpu, memory, ephemeral-storage, or extended resources.
 */
public class ResourceRequirements extends Extensible {
  public Map<String, Quantity> requests;
  public Map<String, Quantity> limits;
}
