package kubelab.apiserver.table;

import java.util.HashMap;
import java.util.Map;
import kubelab.api.registry.ResourceType;

/**
 * The table convertor of every kind. Kinds Kubernetes has no printer for get the default table
 * (NAME, CREATED AT), as kube-apiserver's default table convertor does.
 */
public final class Tables {
  private Tables() {}

  private static final Map<String, TableConvertor> BY_RESOURCE = new HashMap<>();
  private static final TableConvertor DEFAULT = new Columns()
      .name("Name must be unique within a namespace. Is required when creating resources, although "
          + "some resources may allow a client to request the generation of an appropriate name "
          + "automatically. Name is primarily intended for creation idempotence and configuration "
          + "definition. Cannot be updated. More info: "
          + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")
      .add("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time "
          + "when this object was created.", 0,
          (o, now) -> o.path("metadata").path("creationTimestamp").asText(""));

  static {
    Printers.register(BY_RESOURCE);
  }

  public static TableConvertor forType(ResourceType t) {
    return BY_RESOURCE.getOrDefault(t.group() + "/" + t.plural(), DEFAULT);
  }
}
