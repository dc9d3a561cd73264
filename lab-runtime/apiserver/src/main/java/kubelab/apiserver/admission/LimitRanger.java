package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.api.resource.Quantity;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * LimitRanger (Kubernetes 1.32 plugin/pkg/admission/limitranger) for new pods:
 * <ul>
 *   <li>mutating: containers without a request or limit get the namespace LimitRange's
 *       defaultRequest and default, and the pod is annotated
 *       {@code kubernetes.io/limit-ranger: LimitRanger plugin set: cpu request for container web};
 *   <li>validating: per container (and per pod, summed) the min, max and maxLimitRequestRatio,
 *       refused with Kubernetes' words: {@code pods "web" is forbidden: maximum cpu usage per
 *       Container is 500m, but limit is 1}.
 * </ul>
 */
final class LimitRanger implements AdmissionPlugin {
  static final String ANNOTATION = "kubernetes.io/limit-ranger";
  private final ObjectStore store;
  private final ResourceType limitRanges = Resources.builtin().find("", "v1", "limitranges").orElseThrow();

  LimitRanger(ObjectStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "LimitRanger";
  }

  private boolean applies(AdmissionRequest r) {
    return r.operation() == AdmissionRequest.Operation.CREATE && r.is("", "pods") && r.mainResource();
  }

  private List<JsonNode> items(String ns, String type) {
    List<JsonNode> out = new ArrayList<>();
    for (Stored s : store.cachedList(limitRanges, ns)) {
      for (JsonNode item : s.object().path("spec").path("limits")) {
        if (type.equals(item.path("type").asText())) out.add(item);
      }
    }
    return out;
  }

  @Override
  public void admit(AdmissionRequest r) {
    if (!applies(r)) return;
    List<JsonNode> items = items(r.namespace(), "Container");
    if (items.isEmpty()) return;
    ObjectNode spec = r.object().with("spec");
    List<String> notes = new ArrayList<>();
    for (JsonNode item : items) {
      for (JsonNode c : spec.path("containers")) merge((ObjectNode) c, item, "container", notes);
      for (JsonNode c : spec.path("initContainers")) merge((ObjectNode) c, item, "init container", notes);
    }
    if (!notes.isEmpty()) {
      r.object().with("metadata").with("annotations").put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
    }
  }

  private static void merge(ObjectNode c, JsonNode item, String prefix, List<String> notes) {
    ObjectNode res = c.with("resources");
    TreeSet<String> setReq = new TreeSet<>();
    TreeSet<String> setLim = new TreeSet<>();
    ObjectNode limits = res.with("limits");
    ObjectNode requests = res.with("requests");
    for (Iterator<Map.Entry<String, JsonNode>> it = item.path("default").fields(); it.hasNext(); ) {
      var e = it.next();
      if (!limits.has(e.getKey())) {
        limits.set(e.getKey(), e.getValue().deepCopy());
        setLim.add(e.getKey());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = item.path("defaultRequest").fields(); it.hasNext(); ) {
      var e = it.next();
      if (!requests.has(e.getKey())) {
        requests.set(e.getKey(), e.getValue().deepCopy());
        setReq.add(e.getKey());
      }
    }
    if (limits.isEmpty()) res.remove("limits");
    if (requests.isEmpty()) res.remove("requests");
    String name = c.path("name").asText();
    if (!setReq.isEmpty()) notes.add(String.join(", ", setReq) + " request for " + prefix + " " + name);
    if (!setLim.isEmpty()) notes.add(String.join(", ", setLim) + " limit for " + prefix + " " + name);
  }

  @Override
  public void validate(AdmissionRequest r) {
    if (!applies(r)) return;
    List<String> errs = new ArrayList<>();
    JsonNode spec = r.object().path("spec");
    for (JsonNode item : items(r.namespace(), "Container")) {
      for (String list : new String[] {"containers", "initContainers"}) {
        for (JsonNode c : spec.path(list)) {
          JsonNode req = c.path("resources").path("requests");
          JsonNode lim = c.path("resources").path("limits");
          check(item, "Container", req, lim, errs);
        }
      }
    }
    for (JsonNode item : items(r.namespace(), "Pod")) {
      Map<String, BigDecimal> req = new HashMap<>();
      Map<String, BigDecimal> lim = new HashMap<>();
      for (JsonNode c : spec.path("containers")) {
        sum(req, c.path("resources").path("requests"));
        sum(lim, c.path("resources").path("limits"));
      }
      check(item, "Pod", toNode(req), toNode(lim), errs);
    }
    if (errs.isEmpty()) return;
    String msg = errs.size() == 1 ? errs.get(0) : "[" + String.join(", ", errs) + "]";
    throw ApiError.forbidden(r.type(), r.name(), msg);
  }

  private static void check(JsonNode item, String type, JsonNode req, JsonNode lim, List<String> errs) {
    for (Iterator<Map.Entry<String, JsonNode>> it = item.path("min").fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      Quantity enforced = q(e.getValue());
      if (!req.has(k)) {
        errs.add("minimum " + k + " usage per " + type + " is " + enforced + ".  No request is specified");
      } else if (q(req.get(k)).compareTo(enforced) < 0) {
        errs.add("minimum " + k + " usage per " + type + " is " + enforced + ", but request is " + req.get(k).asText());
      } else if (lim.has(k) && q(lim.get(k)).compareTo(enforced) < 0) {
        errs.add("minimum " + k + " usage per " + type + " is " + enforced + ", but limit is " + lim.get(k).asText());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = item.path("max").fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      Quantity enforced = q(e.getValue());
      if (!lim.has(k)) {
        errs.add("maximum " + k + " usage per " + type + " is " + enforced + ".  No limit is specified");
      } else if (q(lim.get(k)).compareTo(enforced) > 0) {
        errs.add("maximum " + k + " usage per " + type + " is " + enforced + ", but limit is " + lim.get(k).asText());
      } else if (req.has(k) && q(req.get(k)).compareTo(enforced) > 0) {
        errs.add("maximum " + k + " usage per " + type + " is " + enforced + ", but request is " + req.get(k).asText());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = item.path("maxLimitRequestRatio").fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      Quantity enforced = q(e.getValue());
      BigDecimal r = req.has(k) ? q(req.get(k)).amount() : BigDecimal.ZERO;
      BigDecimal l = lim.has(k) ? q(lim.get(k)).amount() : BigDecimal.ZERO;
      if (r.signum() == 0) {
        errs.add(k + " max limit to request ratio per " + type + " is " + enforced + ", but no request is specified or request is 0");
      } else if (l.signum() == 0) {
        errs.add(k + " max limit to request ratio per " + type + " is " + enforced + ", but no limit is specified or limit is 0");
      } else {
        double ratio = l.doubleValue() / r.doubleValue();
        if (ratio > enforced.amount().doubleValue()) {
          errs.add(k + " max limit to request ratio per " + type + " is " + enforced + ", but provided ratio is "
              + String.format("%f", ratio));
        }
      }
    }
  }

  private static Quantity q(JsonNode n) {
    try {
      return Quantity.parse(n.asText());
    } catch (IllegalArgumentException e) {
      return Quantity.ZERO;
    }
  }

  private static void sum(Map<String, BigDecimal> m, JsonNode res) {
    for (Iterator<Map.Entry<String, JsonNode>> it = res.fields(); it.hasNext(); ) {
      var e = it.next();
      m.merge(e.getKey(), q(e.getValue()).amount(), BigDecimal::add);
    }
  }

  private static JsonNode toNode(Map<String, BigDecimal> m) {
    ObjectNode n = kubelab.api.Json.MAPPER.createObjectNode();
    m.forEach((k, v) -> n.put(k, QuantityFormat.of(k, v)));
    return n;
  }
}
