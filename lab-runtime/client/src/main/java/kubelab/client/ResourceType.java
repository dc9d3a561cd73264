package kubelab.client;

import kubelab.api.coordination.Lease;
import kubelab.api.core.Event;
import kubelab.api.core.Namespace;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.api.meta.KubeObject;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.scheduling.PriorityClass;

/**
 * A resource the client can reach: its group/version, its URL plural, the kind of its objects
 * and the Java class they decode into (client-go's GroupVersionResource plus a Go type).
 *
 * <p>The constants cover the model classes in {@code lab-runtime/api}; for anything else,
 * {@link #of} with {@link Unstructured} as the type reaches any resource the server serves
 * ({@code ResourceType.of("apps", "v1", "deployments", "Deployment", Unstructured.class)}).
 *
 * @param group API group, "" for the core group (served under /api)
 * @param namespaced whether objects live in namespaces (cluster-scoped ones ignore a namespace)
 */
public record ResourceType<T extends KubeObject>(String group, String version, String plural, String kind,
    boolean namespaced, Class<T> type) {

  public static final ResourceType<Pod> PODS = new ResourceType<>("", "v1", "pods", "Pod", true, Pod.class);
  public static final ResourceType<Node> NODES = new ResourceType<>("", "v1", "nodes", "Node", false, Node.class);
  public static final ResourceType<Namespace> NAMESPACES =
      new ResourceType<>("", "v1", "namespaces", "Namespace", false, Namespace.class);
  public static final ResourceType<Event> EVENTS = new ResourceType<>("", "v1", "events", "Event", true, Event.class);
  public static final ResourceType<Lease> LEASES =
      new ResourceType<>("coordination.k8s.io", "v1", "leases", "Lease", true, Lease.class);
  public static final ResourceType<PriorityClass> PRIORITY_CLASSES =
      new ResourceType<>("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, PriorityClass.class);
  public static final ResourceType<PodDisruptionBudget> POD_DISRUPTION_BUDGETS =
      new ResourceType<>("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, PodDisruptionBudget.class);

  public static <T extends KubeObject> ResourceType<T> of(String group, String version, String plural, String kind,
      boolean namespaced, Class<T> type) {
    return new ResourceType<>(group, version, plural, kind, namespaced, type);
  }

  /** {@code v1} for the core group, {@code group/version} otherwise. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code /api/v1} or {@code /apis/group/version}. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The path of the collection, in {@code namespace} if given and the resource is namespaced. */
  public String collectionPath(String namespace) {
    if (namespaced && namespace != null && !namespace.isEmpty()) {
      return groupVersionPath() + "/namespaces/" + namespace + "/" + plural;
    }
    return groupVersionPath() + "/" + plural;
  }

  /** {@code plural} or {@code plural.group}: the name kubectl and RBAC use. */
  @Override public String toString() {
    return group.isEmpty() ? plural : plural + "." + group;
  }
}
