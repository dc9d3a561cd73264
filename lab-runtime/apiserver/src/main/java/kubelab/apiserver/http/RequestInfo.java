package kubelab.apiserver.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a URL asks for, decoded the way Kubernetes' RequestInfoFactory does: the API group and
 * version, the resource, namespace, name and subresource, and the verb derived from the HTTP
 * method (GET on a collection is "list", GET with {@code watch=true} is "watch", DELETE on a
 * collection is "deletecollection").
 *
 * <p>Authorization and routing both read this record, so RBAC rules and handlers agree on what a
 * request is. Paths outside /api and /apis are non-resource requests (/version, /healthz, ...).
 *
 * <pre>
 *   /api/v1/namespaces/default/pods/web/log   group "" v1, ns default, pods, web, log, get
 *   /apis/apps/v1/deployments                 group apps v1, all namespaces, deployments, list
 *   /api/v1/namespaces/dev                    namespaces, name dev (not a namespace scope)
 * </pre>
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String verb,
    String apiPrefix,
    String group,
    String version,
    String namespace,
    String resource,
    String subresource,
    String name,
    List<String> parts) {

  /** Subresources of namespaces, which look like a namespace scope in the URL but are not. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static RequestInfo parse(String method, String path, String watchParam) {
    List<String> segs = new ArrayList<>(Arrays.asList(path.split("/")));
    segs.removeIf(String::isEmpty);
    String verb = method.toLowerCase();
    if (segs.isEmpty() || !(segs.get(0).equals("api") || segs.get(0).equals("apis"))) {
      return nonResource(path, verb);
    }
    String prefix = segs.get(0);
    int i = 1;
    String group = "";
    if (prefix.equals("apis")) {
      if (segs.size() < 3) return nonResource(path, verb); // /apis, /apis/apps: discovery
      group = segs.get(1);
      i = 2;
    } else if (segs.size() < 2) {
      return nonResource(path, verb); // /api
    }
    String version = segs.get(i++);
    List<String> rest = segs.subList(i, segs.size());
    if (rest.isEmpty()) {
      return nonResource(path, verb); // /api/v1, /apis/apps/v1: discovery
    }
    rest = new ArrayList<>(rest);
    boolean legacyWatch = false;
    if (rest.get(0).equals("watch")) { // deprecated /api/v1/watch/pods
      legacyWatch = true;
      rest.remove(0);
      if (rest.isEmpty()) return nonResource(path, verb);
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String sub = rest.size() > 2 ? rest.get(2) : "";
    if (resource.equals("namespaces") && !namespace.isEmpty() && name.equals(namespace)) {
      // /api/v1/namespaces/dev and /api/v1/namespaces/dev/status: the namespace object itself
      namespace = "";
    }
    boolean watch = legacyWatch || "true".equals(watchParam) || "1".equals(watchParam);
    switch (method) {
      case "GET", "HEAD" -> verb = name.isEmpty() ? (watch ? "watch" : "list") : (watch && sub.isEmpty() ? "watch" : "get");
      case "POST" -> verb = "create";
      case "PUT" -> verb = "update";
      case "PATCH" -> verb = "patch";
      case "DELETE" -> verb = name.isEmpty() ? "deletecollection" : "delete";
      default -> verb = method.toLowerCase();
    }
    return new RequestInfo(true, path, verb, prefix, group, version, namespace, resource, sub, name,
        List.copyOf(rest));
  }

  private static RequestInfo nonResource(String path, String verb) {
    return new RequestInfo(false, path, verb, "", "", "", "", "", "", "", List.of());
  }

  /** "pods" or "pods/log": what RBAC rules and forbidden messages call the resource. */
  public String resourceWithSub() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }
}
