package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * The request the scheduler posts to {@code pods/NAME/binding}: bind the pod (metadata) to the node
 * named by {@code target}. The API server sets {@code spec.nodeName} and the PodScheduled condition.
 */
public class Binding extends kubelab.api.meta.KubeObject {
  public ObjectReference target;

  public Binding() {
    super("v1", "Binding");
  }
}
