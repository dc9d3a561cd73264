package kubelab.api.selector;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fields each resource can be selected by (Kubernetes 1.32's field label conversion functions
 * and GetAttrs of each registry), and where a selector field reads from when it is not simply a
 * path in the object (events' {@code source} is {@code source.component}).
 *
 * <p>Every resource supports {@code metadata.name} and, when namespaced, {@code metadata.namespace}.
 */
public final class FieldLabels {
  private FieldLabels() {}

  private static final Map<String, Set<String>> EXTRA = new HashMap<>();
  private static final Map<String, Map<String, String>> ALIASES = new HashMap<>();

  static {
    EXTRA.put("pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
        "status.nominatedNodeName"));
    EXTRA.put("events", Set.of("involvedObject.kind", "involvedObject.namespace",
        "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
        "reportingComponent", "source", "type"));
    ALIASES.put("events", Map.of("source", "source.component"));
    EXTRA.put("nodes", Set.of("spec.unschedulable"));
    EXTRA.put("namespaces", Set.of("status.phase"));
    EXTRA.put("secrets", Set.of("type"));
    EXTRA.put("services", Set.of("spec.clusterIP", "spec.type"));
    EXTRA.put("replicasets", Set.of("status.replicas"));
    EXTRA.put("jobs", Set.of("status.successful"));
    EXTRA.put("persistentvolumeclaims", Set.of("status.phase"));
    EXTRA.put("persistentvolumes", Set.of("status.phase"));
  }

  /** The supported selector fields of a resource (by plural name). */
  public static Set<String> supported(String plural, boolean namespaced) {
    Set<String> s = new HashSet<>(EXTRA.getOrDefault(plural, Set.of()));
    s.add("metadata.name");
    if (namespaced) s.add("metadata.namespace");
    return s;
  }

  /** Selector field to object path, where they differ. */
  public static Map<String, String> aliases(String plural) {
    Map<String, String> a = new HashMap<>(ALIASES.getOrDefault(plural, Map.of()));
    if (plural.equals("pods")) a.put("status.podIP", "status.podIP");
    return a;
  }
}
