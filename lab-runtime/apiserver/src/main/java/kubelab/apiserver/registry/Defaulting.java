package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.api.defaults.Defaults;
import kubelab.api.registry.ResourceType;

/** Applies the API's defaults (kubelab.api.defaults) to an object of a served type. */
public final class Defaulting {
  private Defaulting() {}

  public static void apply(ResourceType t, ObjectNode obj) {
    Defaults.apply(t.apiVersion(), t.kind(), obj);
  }
}
