package kubelab.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import kubelab.api.Json;
import kubelab.store.KvStore;
import kubelab.apiserver.registry.ObjectStore;

/**
 * The RBAC authorizer (rbac.authorization.k8s.io/v1, Kubernetes 1.32 semantics): allow rules only,
 * default deny.
 *
 * <p>A request is allowed when some ClusterRoleBinding, or some RoleBinding in the request's
 * namespace, names the user (kind User), one of its groups (kind Group) or its ServiceAccount, and
 * the role it refers to has a rule matching verb, API group, resource (or
 * {@code resource/subresource}), and resource name; non-resource requests match
 * {@code nonResourceURLs} (exact, or a prefix ending in {@code *}). Members of
 * {@code system:masters} are allowed everything without looking at rules, as in Kubernetes.
 *
 * <p>Roles and bindings are cached in memory and kept current by a store watch on their four key
 * prefixes (the informer pattern, inside the API server). Thread-safe: the maps are concurrent;
 * a decision reads whatever version of each object is current.
 */
public final class Rbac implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Rbac.class.getName());
  private static final String[] PREFIXES = {
      "/registry/clusterroles/", "/registry/clusterrolebindings/", "/registry/roles/", "/registry/rolebindings/"};

  private final KvStore kv;
  private final Map<String, JsonNode> objects = new ConcurrentHashMap<>(); // store key -> object
  private final List<KvStore.WatchHandle> watches = new ArrayList<>();
  private volatile boolean closed;

  public Rbac(KvStore kv) {
    this.kv = kv;
    for (String p : PREFIXES) sync(p);
  }

  /** Lists a prefix, then watches it from the list's revision; re-lists if the watch breaks. */
  private void sync(String prefix) {
    if (closed) return;
    var r = ObjectStore.await(kv.range(KvStore.RangeRequest.prefix(prefix)));
    objects.keySet().removeIf(k -> k.startsWith(prefix));
    for (var k : r.kvs()) put(k);
    var h = kv.watch(KvStore.WatchRequest.prefix(prefix, r.revision() + 1), new KvStore.WatchListener() {
      @Override
      public void onEvents(long revision, List<KvStore.WatchEvent> events) {
        for (var e : events) {
          if (e.type() == KvStore.WatchEvent.Type.PUT) put(e.kv());
          else objects.remove(e.kv().key());
        }
      }

      @Override
      public void onCompacted(long compactRevision) {
        resync(prefix);
      }

      @Override
      public void onError(Throwable cause) {
        if (!closed) LOG.log(Level.FINE, "rbac watch ended: " + cause);
        resync(prefix);
      }
    });
    synchronized (watches) {
      watches.add(h);
    }
  }

  private void resync(String prefix) {
    if (closed) return;
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(200);
        sync(prefix);
      } catch (Exception e) {
        if (!closed) LOG.log(Level.WARNING, "rbac resync failed: " + e);
      }
    }, "rbac-resync");
    t.setDaemon(true);
    t.start();
  }

  private void put(KvStore.KeyValue k) {
    try {
      objects.put(k.key(), Json.MAPPER.readTree(k.value()));
    } catch (Exception e) {
      LOG.warning("unreadable RBAC object " + k.key() + ": " + e);
    }
  }

  /** Whether the request is allowed. */
  public boolean allows(Attributes a) {
    if (a.user().inGroup(UserInfo.MASTERS)) return true;
    for (JsonNode rule : rulesFor(a.user(), a.namespace())) {
      if (ruleAllows(rule, a)) return true;
    }
    return false;
  }

  /**
   * Every rule that applies to the user in {@code namespace} (cluster-wide rules plus the
   * namespace's RoleBindings): the answer of a SelfSubjectRulesReview.
   */
  public List<JsonNode> rulesFor(UserInfo u, String namespace) {
    List<JsonNode> rules = new ArrayList<>();
    for (var e : objects.entrySet()) {
      String key = e.getKey();
      JsonNode b = e.getValue();
      if (key.startsWith("/registry/clusterrolebindings/")) {
        if (bindingMatches(b, u)) addRoleRules(rules, b.path("roleRef"), "");
      } else if (key.startsWith("/registry/rolebindings/") && namespace != null && !namespace.isEmpty()
          && namespace.equals(b.path("metadata").path("namespace").asText())) {
        if (bindingMatches(b, u)) addRoleRules(rules, b.path("roleRef"), namespace);
      }
    }
    return rules;
  }

  private void addRoleRules(List<JsonNode> rules, JsonNode ref, String namespace) {
    String kind = ref.path("kind").asText();
    String name = ref.path("name").asText();
    JsonNode role = kind.equals("ClusterRole")
        ? objects.get("/registry/clusterroles/" + name)
        : objects.get("/registry/roles/" + namespace + "/" + name);
    if (role == null) return;
    for (JsonNode r : role.path("rules")) rules.add(r);
  }

  private static boolean bindingMatches(JsonNode binding, UserInfo u) {
    String bindingNs = binding.path("metadata").path("namespace").asText("");
    for (JsonNode s : binding.path("subjects")) {
      String kind = s.path("kind").asText();
      String name = s.path("name").asText();
      switch (kind) {
        case "User" -> {
          if (name.equals(u.name())) return true;
        }
        case "Group" -> {
          if (u.groups().contains(name)) return true;
        }
        case "ServiceAccount" -> {
          String ns = s.path("namespace").asText(bindingNs);
          if (u.name().equals(UserInfo.SERVICE_ACCOUNT_PREFIX + ns + ":" + name)) return true;
        }
        default -> { }
      }
    }
    return false;
  }

  /** One PolicyRule against the request (rbac/v1 helpers: VerbMatches, APIGroupMatches, ...). */
  public static boolean ruleAllows(JsonNode rule, Attributes a) {
    if (!contains(rule.path("verbs"), a.verb())) return false;
    if (!a.resourceRequest()) {
      for (JsonNode u : rule.path("nonResourceURLs")) {
        String p = u.asText();
        if (p.equals("*") || p.equals(a.path())) return true;
        if (p.endsWith("*") && a.path().startsWith(p.substring(0, p.length() - 1))) return true;
      }
      return false;
    }
    if (!contains(rule.path("apiGroups"), a.apiGroup())) return false;
    String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    boolean resOk = false;
    for (JsonNode r : rule.path("resources")) {
      String s = r.asText();
      if (s.equals("*") || s.equals(combined)
          || (!a.subresource().isEmpty() && s.equals("*/" + a.subresource()))) {
        resOk = true;
        break;
      }
    }
    if (!resOk) return false;
    JsonNode names = rule.path("resourceNames");
    if (names.isArray() && names.size() > 0) {
      for (JsonNode n : names) if (n.asText().equals(a.name())) return true;
      return false;
    }
    return true;
  }

  private static boolean contains(JsonNode list, String v) {
    for (JsonNode x : list) {
      if (x.asText().equals("*") || x.asText().equals(v)) return true;
    }
    return false;
  }

  /** For tests and status: how many roles and bindings are cached. */
  public int size() {
    return objects.size();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (watches) {
      for (var w : watches) w.close();
      watches.clear();
    }
  }

}
