package kubelab.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.rest.ObjectMetaRules;
import kubelab.apiserver.rest.RestContext;

/**
 * What a new cluster contains before anyone writes to it (kube-apiserver's post-start hooks and
 * kubeadm's bootstrap, Kubernetes 1.32): the namespaces default, kube-system, kube-public and
 * kube-node-lease; the bootstrap RBAC policy ({@link BootstrapPolicy}); the built-in
 * PriorityClasses system-cluster-critical and system-node-critical; and the {@code kubernetes}
 * Service (10.96.0.1:443) in default. Idempotent: existing objects are left alone, so a restart
 * over the same store changes nothing.
 */
final class Bootstrap {
  private final RestContext ctx;

  Bootstrap(RestContext ctx) {
    this.ctx = ctx;
  }

  void run() {
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode n = object("v1", "Namespace", null, ns);
      ensure("", "v1", "namespaces", n);
    }
    for (ObjectNode r : BootstrapPolicy.clusterRoles()) ensure("rbac.authorization.k8s.io", "v1", "clusterroles", r);
    for (ObjectNode b : BootstrapPolicy.clusterRoleBindings()) ensure("rbac.authorization.k8s.io", "v1", "clusterrolebindings", b);
    ObjectNode scc = object("scheduling.k8s.io/v1", "PriorityClass", null, "system-cluster-critical");
    scc.put("value", 2000000000);
    scc.put("description", "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
    scc.put("preemptionPolicy", "PreemptLowerPriority");
    ensure("scheduling.k8s.io", "v1", "priorityclasses", scc);
    ObjectNode snc = object("scheduling.k8s.io/v1", "PriorityClass", null, "system-node-critical");
    snc.put("value", 2000001000);
    snc.put("description", "Used for system critical pods that must not be moved from their current node.");
    snc.put("preemptionPolicy", "PreemptLowerPriority");
    ensure("scheduling.k8s.io", "v1", "priorityclasses", snc);
    ObjectNode svc = object("v1", "Service", "default", "kubernetes");
    ObjectNode labels = ((ObjectNode) svc.get("metadata")).putObject("labels");
    labels.put("component", "apiserver");
    labels.put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", "10.96.0.1");
    spec.putArray("clusterIPs").add("10.96.0.1");
    ObjectNode port = spec.putArray("ports").addObject();
    port.put("name", "https");
    port.put("port", 443);
    port.put("protocol", "TCP");
    port.put("targetPort", 6443);
    spec.put("type", "ClusterIP");
    spec.put("sessionAffinity", "None");
    ensure("", "v1", "services", svc);
  }

  static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    if (namespace != null) meta.put("namespace", namespace);
    return o;
  }

  /** Creates the object through the kind's defaults and strategy unless it exists. */
  private void ensure(String group, String version, String plural, ObjectNode obj) {
    ResourceType t = ctx.resources.find(group, version, plural).orElseThrow();
    String ns = obj.path("metadata").path("namespace").asText("");
    String name = obj.path("metadata").path("name").asText();
    if (ctx.store.get(t, ns, name).isPresent()) return;
    ctx.defaults.accept(t, obj);
    ObjectMetaRules.beforeCreate(ctx, t, obj);
    ctx.strategy(t).prepareForCreate(obj);
    try {
      ctx.store.create(t, obj);
    } catch (ApiError e) {
      if (e.code() != 409) throw e;
    }
  }

}
