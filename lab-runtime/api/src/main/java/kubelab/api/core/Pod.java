package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * The smallest deployable unit: one or more containers sharing a network namespace (the pause
 * sandbox), scheduled together onto one node (core/v1 Pod).
 */
public class Pod extends kubelab.api.meta.KubeObject {
  public PodSpec spec = new PodSpec();
  public PodStatus status;

  public Pod() {
    super("v1", "Pod");
  }
}
