package kubelab.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.Json;

/**
 * The RBAC roles and bindings every cluster starts with (Kubernetes 1.32's bootstrap policy and
 * kubeadm's bindings, the subset KubeLab's API serves), plus KubeLab's read-only learner role.
 *
 * <ul>
 *   <li>{@code cluster-admin}: everything; bound to group {@code system:masters} (which bypasses
 *       RBAC anyway) and, as kubeadm 1.29+ does, to group {@code kubeadm:cluster-admins}, the
 *       group of the admin kubeconfig's certificate;
 *   <li>{@code admin}, {@code edit}, {@code view}: the user-facing roles, for RoleBindings;
 *   <li>{@code system:discovery}, {@code system:basic-user}, {@code system:public-info-viewer}:
 *       discovery, self-reviews and health for every authenticated user;
 *   <li>{@code system:kube-scheduler}: what the scheduler needs (user system:kube-scheduler);
 *   <li>{@code kubelab:learner}: read everything except Secrets, cluster-wide; bound to user
 *       {@code learner} (the read-only kubeconfig of {@code lab kubeconfig --user learner}).
 * </ul>
 */
final class BootstrapPolicy {
  private BootstrapPolicy() {}

  static final String RBAC_V1 = "rbac.authorization.k8s.io/v1";
  static final List<String> READ = List.of("get", "list", "watch");
  static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");

  /** Namespaced resources a user works with, per API group (for admin/edit/view). */
  private static final String[][] USER_RESOURCES = {
      {"", "configmaps", "endpoints", "persistentvolumeclaims", "pods", "services", "serviceaccounts",
          "events", "limitranges", "resourcequotas", "bindings", "pods/log", "pods/status",
          "services/status", "resourcequotas/status", "namespaces/status", "persistentvolumeclaims/status"},
      {"apps", "controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets",
          "deployments/scale", "replicasets/scale", "statefulsets/scale", "daemonsets/status",
          "deployments/status", "replicasets/status", "statefulsets/status"},
      {"batch", "cronjobs", "jobs", "cronjobs/status", "jobs/status"},
      {"discovery.k8s.io", "endpointslices"},
      {"networking.k8s.io", "networkpolicies"},
      {"policy", "poddisruptionbudgets", "poddisruptionbudgets/status"},
      {"coordination.k8s.io", "leases"},
  };

  static List<ObjectNode> clusterRoles() {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode admin = role("cluster-admin");
    rule(admin, List.of("*"), List.of("*"), List.of("*"));
    nonResource(admin, List.of("*"), List.of("*"));
    out.add(admin);

    ObjectNode view = role("view");
    for (String[] g : USER_RESOURCES) rule(view, READ, List.of(g[0]), List.of(g).subList(1, g.length));
    rule(view, READ, List.of(""), List.of("namespaces"));
    out.add(view);

    ObjectNode edit = role("edit");
    for (String[] g : USER_RESOURCES) rule(edit, READ, List.of(g[0]), List.of(g).subList(1, g.length));
    rule(edit, READ, List.of(""), List.of("namespaces"));
    rule(edit, concat(READ, WRITE), List.of(""), List.of("secrets"));
    for (String[] g : USER_RESOURCES) {
      List<String> writable = new ArrayList<>();
      for (int i = 1; i < g.length; i++) {
        if (!g[i].endsWith("/status") && !g[i].equals("events") && !g[i].equals("limitranges")
            && !g[i].equals("resourcequotas") && !g[i].equals("controllerrevisions") && !g[i].equals("pods/log")) {
          writable.add(g[i]);
        }
      }
      if (!writable.isEmpty()) rule(edit, WRITE, List.of(g[0]), writable);
    }
    rule(edit, List.of("create", "get"), List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward"));
    rule(edit, List.of("create"), List.of(""), List.of("pods/eviction", "serviceaccounts/token"));
    rule(edit, List.of("impersonate"), List.of(""), List.of("serviceaccounts"));
    out.add(edit);

    ObjectNode nsAdmin = ((ObjectNode) edit.deepCopy());
    ((ObjectNode) nsAdmin.get("metadata")).put("name", "admin");
    rule(nsAdmin, concat(READ, WRITE), List.of("rbac.authorization.k8s.io"), List.of("roles", "rolebindings"));
    rule(nsAdmin, List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"));
    out.add(nsAdmin);

    ObjectNode discovery = role("system:discovery");
    nonResource(discovery, List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
        "/openapi", "/openapi/*", "/readyz", "/version", "/version/"));
    out.add(discovery);

    ObjectNode basic = role("system:basic-user");
    rule(basic, List.of("create"), List.of("authorization.k8s.io"),
        List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"));
    rule(basic, List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"));
    out.add(basic);

    ObjectNode pub = role("system:public-info-viewer");
    nonResource(pub, List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"));
    out.add(pub);

    ObjectNode sched = role("system:kube-scheduler");
    rule(sched, List.of("create", "patch", "update"), List.of("", "events.k8s.io"), List.of("events"));
    rule(sched, List.of("create"), List.of("coordination.k8s.io"), List.of("leases"));
    rule(sched, List.of("get", "update"), List.of("coordination.k8s.io"), List.of("leases"));
    rule(sched, READ, List.of(""), List.of("nodes", "namespaces", "services", "persistentvolumeclaims",
        "persistentvolumes", "replicationcontrollers", "configmaps"));
    rule(sched, List.of("delete", "get", "list", "watch"), List.of(""), List.of("pods"));
    rule(sched, List.of("create"), List.of(""), List.of("bindings", "pods/binding", "pods/eviction"));
    rule(sched, List.of("patch", "update"), List.of(""), List.of("pods/status"));
    rule(sched, READ, List.of("apps"), List.of("replicasets", "statefulsets"));
    rule(sched, READ, List.of("policy"), List.of("poddisruptionbudgets"));
    rule(sched, READ, List.of("scheduling.k8s.io"), List.of("priorityclasses"));
    rule(sched, List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews"));
    rule(sched, List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews"));
    out.add(sched);

    ObjectNode learner = role("kubelab:learner");
    for (String[] g : USER_RESOURCES) rule(learner, READ, List.of(g[0]), List.of(g).subList(1, g.length));
    rule(learner, READ, List.of(""), List.of("namespaces", "nodes", "nodes/status", "persistentvolumes"));
    rule(learner, READ, List.of("scheduling.k8s.io"), List.of("priorityclasses"));
    rule(learner, READ, List.of("rbac.authorization.k8s.io"),
        List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings"));
    out.add(learner);
    return out;
  }

  static List<ObjectNode> clusterRoleBindings() {
    List<ObjectNode> out = new ArrayList<>();
    out.add(binding("cluster-admin", "cluster-admin", "Group", "system:masters"));
    out.add(binding("kubeadm:cluster-admins", "cluster-admin", "Group", "kubeadm:cluster-admins"));
    out.add(binding("system:discovery", "system:discovery", "Group", "system:authenticated"));
    out.add(binding("system:basic-user", "system:basic-user", "Group", "system:authenticated"));
    ObjectNode pub = binding("system:public-info-viewer", "system:public-info-viewer", "Group", "system:authenticated");
    ObjectNode unauth = ((ArrayNode) pub.get("subjects")).addObject();
    unauth.put("apiGroup", "rbac.authorization.k8s.io");
    unauth.put("kind", "Group");
    unauth.put("name", "system:unauthenticated");
    out.add(pub);
    out.add(binding("system:kube-scheduler", "system:kube-scheduler", "User", "system:kube-scheduler"));
    out.add(binding("kubelab:learner", "kubelab:learner", "User", "learner"));
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static ObjectNode role(String name) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("apiVersion", RBAC_V1);
    r.put("kind", "ClusterRole");
    ObjectNode meta = r.putObject("metadata");
    meta.put("name", name);
    meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    r.putArray("rules");
    return r;
  }

  private static void rule(ObjectNode role, List<String> verbs, List<String> groups, List<String> resources) {
    ObjectNode r = ((ArrayNode) role.get("rules")).addObject();
    ArrayNode g = r.putArray("apiGroups");
    groups.forEach(g::add);
    ArrayNode res = r.putArray("resources");
    resources.forEach(res::add);
    ArrayNode v = r.putArray("verbs");
    verbs.forEach(v::add);
  }

  private static void nonResource(ObjectNode role, List<String> verbs, List<String> urls) {
    ObjectNode r = ((ArrayNode) role.get("rules")).addObject();
    ArrayNode u = r.putArray("nonResourceURLs");
    urls.forEach(u::add);
    ArrayNode v = r.putArray("verbs");
    verbs.forEach(v::add);
  }

  private static ObjectNode binding(String name, String role, String kind, String subject) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("apiVersion", RBAC_V1);
    b.put("kind", "ClusterRoleBinding");
    ObjectNode meta = b.putObject("metadata");
    meta.put("name", name);
    meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    ObjectNode ref = b.putObject("roleRef");
    ref.put("apiGroup", "rbac.authorization.k8s.io");
    ref.put("kind", "ClusterRole");
    ref.put("name", role);
    ObjectNode s = b.putArray("subjects").addObject();
    s.put("apiGroup", "rbac.authorization.k8s.io");
    s.put("kind", kind);
    s.put("name", subject);
    return b;
  }
}
