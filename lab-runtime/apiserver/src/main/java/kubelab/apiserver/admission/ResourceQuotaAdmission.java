package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.api.resource.Quantity;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * ResourceQuota (Kubernetes 1.32 plugin/pkg/admission/resourcequota): a create that would push a
 * namespace's usage above a quota's {@code hard} limits is refused with Kubernetes' exact wording:
 * <pre>
 *   pods "web" is forbidden: exceeded quota: compute, requested: requests.cpu=500m,
 *   used: requests.cpu=1, limited: requests.cpu=1200m
 * </pre>
 * and a pod that does not state a resource the quota constrains is refused with
 * {@code failed quota: compute: must specify limits.cpu for: web} (a LimitRange default
 * satisfies it). Usage is computed from the namespace's objects at admission time (pods that
 * have not finished, services, configmaps, ...; Kubernetes' quota controller keeps a cached
 * total, which this stands in for) and written to each quota's status so
 * {@code kubectl describe quota} shows it. Checks in one namespace are serialized, so two
 * concurrent creates cannot both take the last unit.
 */
final class ResourceQuotaAdmission implements AdmissionPlugin {
  private static final List<String> POD_COMPUTE = List.of("requests.cpu", "requests.memory", "limits.cpu",
      "limits.memory", "cpu", "memory");
  private final ObjectStore store;
  private final Resources resources = Resources.builtin();
  private final ResourceType quotas = resources.find("", "v1", "resourcequotas").orElseThrow();
  private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

  ResourceQuotaAdmission(ObjectStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "ResourceQuota";
  }

  @Override
  public void admit(AdmissionRequest r) {
    if (r.is("", "resourcequotas") && r.object() != null && r.mainResource()
        && r.operation() != AdmissionRequest.Operation.DELETE) {
      ObjectNode status = r.object().with("status");
      JsonNode hard = r.object().path("spec").path("hard");
      status.set("hard", hard.deepCopy());
      ObjectNode used = status.putObject("used");
      Map<String, BigDecimal> usage = usage(r.namespace(), names(hard), null);
      for (var e : usage.entrySet()) used.put(e.getKey(), QuantityFormat.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public void validate(AdmissionRequest r) {
    if (!r.type().namespaced() || !r.type().persisted() || !r.mainResource()) return;
    if (r.operation() == AdmissionRequest.Operation.UPDATE || r.operation() == AdmissionRequest.Operation.CONNECT) return;
    if (r.is("", "resourcequotas") || r.is("", "events")) return;
    if (store.cachedList(quotas, r.namespace()).isEmpty()) return;
    synchronized (locks.computeIfAbsent(r.namespace(), k -> new Object())) {
      List<Stored> qs = store.list(quotas, r.namespace(), null, 0, null, 0, false).items(); // current, for the status update
      for (Stored q : qs) {
        ObjectNode quota = q.object();
        JsonNode hard = quota.path("spec").path("hard");
        TreeSet<String> constrained = names(hard);
        String qname = quota.path("metadata").path("name").asText();
        if (r.operation() == AdmissionRequest.Operation.DELETE) {
          if (!r.dryRun()) writeStatus(q, usage(r.namespace(), constrained, r.oldObject()));
          continue;
        }
        if (r.is("", "pods")) {
          String missing = missing(r.object(), constrained);
          if (missing != null) throw ApiError.forbidden(r.type(), r.name(), "failed quota: " + qname + ": must specify " + missing);
        }
        Map<String, BigDecimal> delta = contribution(r.type(), r.object(), constrained);
        if (delta.isEmpty()) continue;
        Map<String, BigDecimal> used = usage(r.namespace(), constrained, null);
        TreeMap<String, String> failedReq = new TreeMap<>();
        TreeMap<String, String> failedUsed = new TreeMap<>();
        TreeMap<String, String> failedHard = new TreeMap<>();
        for (var e : delta.entrySet()) {
          String k = e.getKey();
          BigDecimal limit = quantity(hard.path(k));
          BigDecimal now = used.getOrDefault(k, BigDecimal.ZERO);
          if (now.add(e.getValue()).compareTo(limit) > 0) {
            failedReq.put(k, QuantityFormat.of(k, e.getValue()));
            failedUsed.put(k, QuantityFormat.of(k, now));
            failedHard.put(k, hard.path(k).asText());
          }
        }
        if (!failedReq.isEmpty()) {
          throw ApiError.forbidden(r.type(), r.name(), "exceeded quota: " + qname + ", requested: " + pretty(failedReq)
              + ", used: " + pretty(failedUsed) + ", limited: " + pretty(failedHard));
        }
        if (!r.dryRun()) {
          Map<String, BigDecimal> after = new TreeMap<>(used);
          delta.forEach((k, v) -> after.merge(k, v, BigDecimal::add));
          writeStatus(q, after);
        }
      }
    }
  }

  private void writeStatus(Stored q, Map<String, BigDecimal> used) {
    ObjectNode obj = q.object().deepCopy();
    ObjectNode status = obj.with("status");
    status.set("hard", obj.path("spec").path("hard").deepCopy());
    ObjectNode u = status.putObject("used");
    for (String k : names(obj.path("spec").path("hard"))) u.put(k, QuantityFormat.of(k, used.getOrDefault(k, BigDecimal.ZERO)));
    try {
      store.replace(quotas, obj, q.modRevision());
    } catch (ApiError ignored) {
      // best effort: the next admission recomputes it
    }
  }

  private static String pretty(TreeMap<String, String> m) {
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + "=" + v));
    return String.join(",", out);
  }

  private static TreeSet<String> names(JsonNode hard) {
    TreeSet<String> s = new TreeSet<>();
    hard.fieldNames().forEachRemaining(s::add);
    return s;
  }

  /** {@code requests.cpu for: web; limits.memory for: web,sidecar}, or null. */
  private static String missing(JsonNode pod, TreeSet<String> constrained) {
    TreeMap<String, TreeSet<String>> missing = new TreeMap<>();
    for (String list : new String[] {"containers", "initContainers"}) {
      for (JsonNode c : pod.path("spec").path(list)) {
        JsonNode res = c.path("resources");
        for (String k : constrained) {
          if (!POD_COMPUTE.contains(k)) continue;
          String kind = k.startsWith("limits.") ? "limits" : "requests";
          String name = k.contains(".") ? k.substring(k.indexOf('.') + 1) : k;
          if (!res.path(kind).has(name)) missing.computeIfAbsent(k, x -> new TreeSet<>()).add(c.path("name").asText());
        }
      }
    }
    if (missing.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    missing.forEach((k, v) -> parts.add(k + " for: " + String.join(",", v)));
    return String.join("; ", parts);
  }

  /** Usage of the constrained resources by the namespace's objects, except {@code excluded}. */
  private Map<String, BigDecimal> usage(String ns, TreeSet<String> constrained, JsonNode excluded) {
    Map<String, BigDecimal> total = new TreeMap<>();
    for (String k : constrained) total.put(k, BigDecimal.ZERO);
    for (ResourceType t : resources.all()) {
      if (!t.namespaced() || !t.persisted()) continue;
      boolean relevant = false;
      for (String k : constrained) relevant |= affects(t, k);
      if (!relevant) continue;
      for (Stored s : store.list(t, ns, null, 0, null, 0, false).items()) {
        if (excluded != null && s.object().path("metadata").path("uid").equals(excluded.path("metadata").path("uid"))) continue;
        contribution(t, s.object(), constrained).forEach((k, v) -> total.merge(k, v, BigDecimal::add));
      }
    }
    return total;
  }

  private static boolean affects(ResourceType t, String k) {
    if (t.group().isEmpty() && t.plural().equals("pods")) return k.equals("pods") || POD_COMPUTE.contains(k) || k.equals("count/pods");
    if (k.equals("count/" + t.groupResource())) return true;
    return t.group().isEmpty() && (k.equals(t.plural()) || k.startsWith(t.plural() + "."));
  }

  /** What one object adds to each constrained resource. */
  private static Map<String, BigDecimal> contribution(ResourceType t, JsonNode obj, TreeSet<String> constrained) {
    Map<String, BigDecimal> out = new TreeMap<>();
    boolean pod = t.group().isEmpty() && t.plural().equals("pods");
    if (pod) {
      String phase = obj.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) return out;
    }
    for (String k : constrained) {
      if (!affects(t, k)) continue;
      if (pod && POD_COMPUTE.contains(k)) {
        String kind = k.startsWith("limits.") ? "limits" : "requests";
        String name = k.contains(".") ? k.substring(k.indexOf('.') + 1) : k;
        out.put(k, podAmount(obj.path("spec"), kind, name));
      } else if (t.group().isEmpty() && t.plural().equals("services") && k.equals("services.nodeports")) {
        String type = obj.path("spec").path("type").asText("");
        out.put(k, BigDecimal.valueOf(type.equals("NodePort") || type.equals("LoadBalancer") ? obj.path("spec").path("ports").size() : 0));
      } else if (t.group().isEmpty() && t.plural().equals("services") && k.equals("services.loadbalancers")) {
        out.put(k, BigDecimal.valueOf("LoadBalancer".equals(obj.path("spec").path("type").asText()) ? 1 : 0));
      } else {
        out.put(k, BigDecimal.ONE);
      }
    }
    return out;
  }

  /** A pod's effective request or limit: max(sum of containers, largest init container). */
  private static BigDecimal podAmount(JsonNode spec, String kind, String name) {
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode c : spec.path("containers")) sum = sum.add(quantity(c.path("resources").path(kind).path(name)));
    BigDecimal maxInit = BigDecimal.ZERO;
    for (JsonNode c : spec.path("initContainers")) {
      BigDecimal v = quantity(c.path("resources").path(kind).path(name));
      if ("Always".equals(c.path("restartPolicy").asText(""))) sum = sum.add(v);
      else if (v.compareTo(maxInit) > 0) maxInit = v;
    }
    return sum.max(maxInit);
  }

  private static BigDecimal quantity(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) return BigDecimal.ZERO;
    try {
      return Quantity.parse(n.asText()).amount();
    } catch (IllegalArgumentException e) {
      return BigDecimal.ZERO;
    }
  }

}
