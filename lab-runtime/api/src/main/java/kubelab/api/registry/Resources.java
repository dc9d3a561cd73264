package kubelab.api.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of every resource KubeLab serves, with the names, scopes, short names, categories,
 * verbs, subresources and store prefixes of Kubernetes 1.32 (what {@code kubectl api-resources}
 * prints against a 1.32 cluster, for this subset).
 *
 * <p>Immutable and thread-safe. Lookups accept what kubectl and URLs use: the plural resource
 * ("pods"), optionally qualified by group ("deployments.apps").
 */
public final class Resources {
  private final List<ResourceType> all;
  private final Map<String, ResourceType> byGroupPlural = new LinkedHashMap<>();
  private final Map<String, ResourceType> byApiVersionKind = new LinkedHashMap<>();

  public Resources(List<ResourceType> types) {
    this.all = List.copyOf(types);
    for (ResourceType t : types) {
      byGroupPlural.put(t.group() + "/" + t.version() + "/" + t.plural(), t);
      byApiVersionKind.put(t.apiVersion() + "/" + t.kind(), t);
    }
  }

  /** The resources of the KubeLab API server. */
  public static Resources builtin() {
    return BUILTIN;
  }

  public List<ResourceType> all() {
    return all;
  }

  /** The type served at {@code /api(s)/group/version/plural}, if any. */
  public Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byGroupPlural.get(group + "/" + version + "/" + plural));
  }

  /** The type whose objects carry this apiVersion and kind, if any. */
  public Optional<ResourceType> forKind(String apiVersion, String kind) {
    return Optional.ofNullable(byApiVersionKind.get(apiVersion + "/" + kind));
  }

  /** Served groups in discovery order ("" first, then as registered), each with its versions. */
  public Map<String, List<String>> groups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : all) {
      List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!versions.contains(t.version())) versions.add(t.version());
    }
    return out;
  }

  /** The resources of one group version, in registration order. */
  public List<ResourceType> inGroupVersion(String group, String version) {
    List<ResourceType> out = new ArrayList<>();
    for (ResourceType t : all) {
      if (t.group().equals(group) && t.version().equals(version)) out.add(t);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The built-in table (Kubernetes 1.32 names, short names, categories and store prefixes).

  private static final List<String> CRUD = ResourceType.ALL_VERBS;
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");
  private static final List<String> CREATE_ONLY = List.of("create");

  private static List<ResourceType> builtinTypes() {
    List<ResourceType> t = new ArrayList<>();
    // core/v1 (served under /api/v1)
    t.add(b("", "v1", "Binding", "bindings").verbs(CREATE_ONLY).virtual().build());
    t.add(b("", "v1", "ConfigMap", "configmaps").shortNames("cm").build());
    t.add(b("", "v1", "Endpoints", "endpoints").singular("endpoints").shortNames("ep")
        .storage("services/endpoints").build());
    t.add(b("", "v1", "Event", "events").shortNames("ev").build());
    t.add(b("", "v1", "LimitRange", "limitranges").shortNames("limits").build());
    t.add(b("", "v1", "Namespace", "namespaces").cluster().shortNames("ns")
        .verbs(List.of("create", "delete", "get", "list", "patch", "update", "watch"))
        .sub("finalize", "", "v1", "Namespace", List.of("update"))
        .status().build());
    t.add(b("", "v1", "Node", "nodes").cluster().shortNames("no").storage("minions").status().build());
    t.add(b("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims").shortNames("pvc").status().build());
    t.add(b("", "v1", "PersistentVolume", "persistentvolumes").cluster().shortNames("pv").status().build());
    t.add(b("", "v1", "Pod", "pods").shortNames("po").categories("all")
        .sub("attach", "", "v1", "PodAttachOptions", List.of("create", "get"))
        .sub("binding", "", "v1", "Binding", CREATE_ONLY)
        .sub("eviction", "policy", "v1", "Eviction", CREATE_ONLY)
        .sub("exec", "", "v1", "PodExecOptions", List.of("create", "get"))
        .sub("log", "", "v1", "Pod", List.of("get"))
        .sub("portforward", "", "v1", "PodPortForwardOptions", List.of("create", "get"))
        .status().build());
    t.add(b("", "v1", "ResourceQuota", "resourcequotas").shortNames("quota").status().build());
    t.add(b("", "v1", "Secret", "secrets").build());
    t.add(b("", "v1", "ServiceAccount", "serviceaccounts").shortNames("sa")
        .sub("token", "authentication.k8s.io", "v1", "TokenRequest", CREATE_ONLY).build());
    t.add(b("", "v1", "Service", "services").shortNames("svc").categories("all")
        .storage("services/specs").status().build());
    // apps/v1
    t.add(b("apps", "v1", "ControllerRevision", "controllerrevisions").build());
    t.add(b("apps", "v1", "DaemonSet", "daemonsets").shortNames("ds").categories("all")
        .generation().status().build());
    t.add(b("apps", "v1", "Deployment", "deployments").shortNames("deploy").categories("all")
        .generation().scale().status().build());
    t.add(b("apps", "v1", "ReplicaSet", "replicasets").shortNames("rs").categories("all")
        .generation().scale().status().build());
    t.add(b("apps", "v1", "StatefulSet", "statefulsets").shortNames("sts").categories("all")
        .generation().scale().status().build());
    // authentication.k8s.io/v1, authorization.k8s.io/v1 (virtual: created, answered, never stored)
    t.add(b("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews").cluster()
        .verbs(CREATE_ONLY).virtual().build());
    t.add(b("authentication.k8s.io", "v1", "TokenReview", "tokenreviews").cluster()
        .verbs(CREATE_ONLY).virtual().build());
    t.add(b("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews")
        .verbs(CREATE_ONLY).virtual().build());
    t.add(b("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews").cluster()
        .verbs(CREATE_ONLY).virtual().build());
    t.add(b("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews").cluster()
        .verbs(CREATE_ONLY).virtual().build());
    t.add(b("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews").cluster()
        .verbs(CREATE_ONLY).virtual().build());
    // batch/v1
    t.add(b("batch", "v1", "CronJob", "cronjobs").shortNames("cj").categories("all")
        .generation().status().build());
    t.add(b("batch", "v1", "Job", "jobs").categories("all").generation().status().build());
    // coordination.k8s.io/v1
    t.add(b("coordination.k8s.io", "v1", "Lease", "leases").build());
    // discovery.k8s.io/v1
    t.add(b("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices").build());
    // networking.k8s.io/v1
    t.add(b("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies").shortNames("netpol")
        .generation().build());
    // policy/v1
    t.add(b("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets").shortNames("pdb")
        .generation().status().build());
    // rbac.authorization.k8s.io/v1
    t.add(b("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings").cluster().build());
    t.add(b("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles").cluster().build());
    t.add(b("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings").build());
    t.add(b("rbac.authorization.k8s.io", "v1", "Role", "roles").build());
    // scheduling.k8s.io/v1
    t.add(b("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses").cluster().shortNames("pc").build());
    return t;
  }

  // Declared after the constants it reads (static initialization runs in textual order).
  private static final Resources BUILTIN = new Resources(builtinTypes());

  private static Builder b(String group, String version, String kind, String plural) {
    return new Builder(group, version, kind, plural);
  }

  private static final class Builder {
    final String group, version, kind, plural;
    String singular;
    boolean namespaced = true;
    List<String> shortNames = List.of();
    List<String> categories = List.of();
    List<String> verbs = CRUD;
    final Map<String, ResourceType.Subresource> subs = new LinkedHashMap<>();
    String storage;
    boolean generation;
    boolean persisted = true;

    Builder(String group, String version, String kind, String plural) {
      this.group = group;
      this.version = version;
      this.kind = kind;
      this.plural = plural;
      this.singular = kind.toLowerCase();
      this.storage = plural;
    }

    Builder singular(String s) { singular = s; return this; }
    Builder cluster() { namespaced = false; return this; }
    Builder shortNames(String... s) { shortNames = List.of(s); return this; }
    Builder categories(String... c) { categories = List.of(c); return this; }
    Builder verbs(List<String> v) { verbs = v; return this; }
    Builder storage(String s) { storage = s; return this; }
    Builder generation() { generation = true; return this; }
    Builder virtual() { persisted = false; return this; }

    Builder sub(String name, String g, String v, String k, List<String> vs) {
      subs.put(name, new ResourceType.Subresource(name, g, v, k, vs));
      return this;
    }

    Builder status() { return sub("status", group, version, kind, STATUS_VERBS); }

    Builder scale() { return sub("scale", "autoscaling", "v1", "Scale", STATUS_VERBS); }

    ResourceType build() {
      return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames,
          categories, verbs, Collections.unmodifiableMap(new LinkedHashMap<>(subs)), storage,
          generation, persisted);
    }
  }
}
