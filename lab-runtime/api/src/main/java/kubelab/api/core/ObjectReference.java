package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A reference to another object (the target of a Binding, the subject of an Event). */
public class ObjectReference extends Extensible {
  public String apiVersion;
  public String kind;
  public String namespace;
  public String name;
  public String uid;
  public String resourceVersion;
  public String fieldPath;

  public ObjectReference() {}

  public ObjectReference(String kind, String namespace, String name) {
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
  }
}
