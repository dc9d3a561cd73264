package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A namespace: a scope for names, quotas and policies. */
public class Namespace extends kubelab.api.meta.KubeObject {
  public Map<String, Object> spec;
  public Map<String, Object> status;

  public Namespace() {
    super("v1", "Namespace");
  }
}
