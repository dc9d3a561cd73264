package kubelab.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The built-in kinds: names, scope, short names and the store keys kube-apiserver uses in etcd. */
class ResourcesTest {
  private final Resources r = Resources.builtin();

  @Test
  void storeKeysAreKubernetesOwn() {
    assertEquals("/registry/pods/default/web", r.find("", "v1", "pods").orElseThrow().key("default", "web"));
    assertEquals("/registry/minions/node-1", r.find("", "v1", "nodes").orElseThrow().key(null, "node-1"));
    assertEquals("/registry/services/specs/default/kubernetes", r.find("", "v1", "services").orElseThrow().key("default", "kubernetes"));
    assertEquals("/registry/deployments/default/", r.find("apps", "v1", "deployments").orElseThrow().prefix("default"));
    assertEquals("/registry/pods/", r.find("", "v1", "pods").orElseThrow().prefix(null));
  }

  @Test
  void everyKindTheIssueListsIsServed() {
    for (String gvr : new String[] {"/v1/namespaces", "/v1/pods", "/v1/nodes", "/v1/services", "/v1/endpoints", "/v1/events",
        "/v1/configmaps", "/v1/secrets", "/v1/serviceaccounts", "/v1/limitranges", "/v1/resourcequotas",
        "coordination.k8s.io/v1/leases", "apps/v1/deployments", "apps/v1/replicasets", "apps/v1/daemonsets",
        "apps/v1/statefulsets", "batch/v1/jobs", "batch/v1/cronjobs", "scheduling.k8s.io/v1/priorityclasses",
        "rbac.authorization.k8s.io/v1/roles", "rbac.authorization.k8s.io/v1/rolebindings",
        "rbac.authorization.k8s.io/v1/clusterroles", "rbac.authorization.k8s.io/v1/clusterrolebindings",
        "policy/v1/poddisruptionbudgets"}) {
      String[] p = gvr.split("/");
      assertTrue(r.find(p[0], p[1], p[2]).isPresent(), gvr);
    }
    ResourceType pods = r.find("", "v1", "pods").orElseThrow();
    for (String sub : new String[] {"status", "binding", "log", "exec", "eviction", "attach", "portforward"}) {
      assertTrue(pods.subresource(sub) != null, "pods/" + sub);
    }
    assertTrue(r.find("apps", "v1", "replicasets").orElseThrow().subresource("scale") != null);
  }

  @Test
  void shortNamesAndScopeAreKubectls() {
    ResourceType deploy = r.forKind("apps/v1", "Deployment").orElseThrow();
    assertTrue(deploy.namespaced());
    assertTrue(deploy.shortNames().contains("deploy"));
    assertTrue(deploy.categories().contains("all"));
    assertFalse(r.forKind("v1", "Node").orElseThrow().namespaced());
    Set<String> shortNames = new HashSet<>();
    for (ResourceType t : r.all()) for (String s : t.shortNames()) assertTrue(shortNames.add(s), "short name " + s + " is unique");
    assertTrue(shortNames.containsAll(Set.of("po", "no", "svc", "ns", "cm", "ep", "ev", "sa", "rs", "ds", "sts", "cj", "pc", "pdb", "limits", "quota")));
  }
}
