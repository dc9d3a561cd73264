package kubelab.api.registry;

import java.util.List;
import java.util.Map;

/**
 * One kind of object the API serves: where it lives in the REST tree (group, version, plural
 * resource name, namespaced or cluster-scoped), what discovery says about it (short names,
 * categories, verbs, subresources) and where it lives in the store.
 *
 * <p>Kubernetes keeps this knowledge spread over each resource's REST storage; KubeLab keeps it in
 * one table ({@link Resources#builtin()}), so discovery, the router, RBAC and the store layout all
 * read the same facts.
 *
 * @param group API group ("" for the core group served under /api)
 * @param version API version ("v1")
 * @param kind the object's kind ("Pod")
 * @param plural the resource name in URLs and RBAC rules ("pods")
 * @param singular the singular name kubectl accepts ("pod")
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl abbreviations ("po")
 * @param categories discovery categories ("all" makes {@code kubectl get all} include it)
 * @param verbs the verbs served on the resource itself
 * @param subresources subresource name to its description (status, scale, binding, log, ...)
 * @param storagePrefix the store key prefix after {@code /registry/}; Kubernetes keeps a few
 *     historical names: services under {@code services/specs}, endpoints under
 *     {@code services/endpoints}, nodes under {@code minions}
 * @param generation whether the server maintains metadata.generation (bumped on spec changes)
 * @param persisted false for virtual resources that are created but never stored
 *     (SelfSubjectAccessReview, TokenReview, Binding)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<String> verbs,
    Map<String, Subresource> subresources,
    String storagePrefix,
    boolean generation,
    boolean persisted) {

  /** Every verb a full CRUD resource serves, in discovery's (alphabetical) order. */
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /**
   * A subresource: its response kind (e.g. Scale in autoscaling/v1 for deployments/scale) and
   * verbs.
   */
  public record Subresource(String name, String group, String version, String kind, List<String> verbs) {}

  /** "apps/v1", or "v1" for the core group: the apiVersion field of objects of this type. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "PodList". */
  public String listKind() {
    return kind + "List";
  }

  /** "pods", or "deployments.apps": how kubectl and error messages name the group resource. */
  public String groupResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The URL prefix of the group version: /api/v1 or /apis/apps/v1. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The store key of one object: /registry/pods/default/web, /registry/minions/node-1. */
  public String key(String namespace, String name) {
    return namespaced
        ? "/registry/" + storagePrefix + "/" + namespace + "/" + name
        : "/registry/" + storagePrefix + "/" + name;
  }

  /** The store prefix of a list: every namespace when {@code namespace} is null or empty. */
  public String prefix(String namespace) {
    if (namespaced && namespace != null && !namespace.isEmpty()) {
      return "/registry/" + storagePrefix + "/" + namespace + "/";
    }
    return "/registry/" + storagePrefix + "/";
  }

  public boolean hasVerb(String verb) {
    return verbs.contains(verb);
  }

  public Subresource subresource(String name) {
    return subresources.get(name);
  }

  public boolean hasStatus() {
    return subresources.containsKey("status");
  }
}
