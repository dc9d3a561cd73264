package kubelab.apiserver.auth;

/**
 * What a request wants to do, in the terms RBAC rules use (k8s.io/apiserver authorizer.Attributes):
 * a verb on a resource (with API group, namespace, subresource and name), or a verb on a
 * non-resource path such as {@code /healthz}.
 */
public record Attributes(
    UserInfo user,
    String verb,
    boolean resourceRequest,
    String namespace,
    String apiGroup,
    String resource,
    String subresource,
    String name,
    String path) {

  public static Attributes resource(UserInfo u, String verb, String namespace, String group,
      String resource, String subresource, String name) {
    return new Attributes(u, verb, true, namespace == null ? "" : namespace, group == null ? "" : group,
        resource, subresource == null ? "" : subresource, name == null ? "" : name, "");
  }

  public static Attributes nonResource(UserInfo u, String verb, String path) {
    return new Attributes(u, verb, false, "", "", "", "", "", path);
  }

  /**
   * Kubernetes' forbidden wording (endpoints/handlers/responsewriters, 1.32):
   * {@code User "learner" cannot create resource "pods" in API group "" in the namespace "default"}.
   */
  public String forbiddenMessage() {
    String user = user() == null ? "" : user().name();
    if (!resourceRequest) {
      return "User \"" + user + "\" cannot " + verb + " path \"" + path + "\"";
    }
    String res = subresource.isEmpty() ? resource : resource + "/" + subresource;
    if (!namespace.isEmpty()) {
      return "User \"" + user + "\" cannot " + verb + " resource \"" + res + "\" in API group \""
          + apiGroup + "\" in the namespace \"" + namespace + "\"";
    }
    return "User \"" + user + "\" cannot " + verb + " resource \"" + res + "\" in API group \""
        + apiGroup + "\" at the cluster scope";
  }
}
