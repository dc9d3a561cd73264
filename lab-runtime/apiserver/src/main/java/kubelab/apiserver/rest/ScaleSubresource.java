package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.FieldPath;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.Stored;

/**
 * The {@code scale} subresource of deployments, replicasets and statefulsets: an autoscaling/v1
 * Scale view of {@code spec.replicas}, {@code status.replicas} and the selector (as a string),
 * which {@code kubectl scale} and autoscalers read and write without knowing the kind.
 */
public final class ScaleSubresource {
  private static final ResourceType SCALE = new ResourceType("autoscaling", "v1", "Scale", "scale", "scale",
      true, List.of(), List.of(), List.of(), Map.of(), "", false, false);

  private final RestContext ctx;
  private final Writes writes;

  public ScaleSubresource(RestContext ctx, Writes writes) {
    this.ctx = ctx;
    this.writes = writes;
  }

  public void serve(Call c) throws IOException {
    switch (c.info().verb()) {
      case "get" -> {
        Stored s = ctx.store.get(c.type(), c.namespace(), c.name()).orElseThrow(() -> ApiError.notFound(c.type(), c.name()));
        Responder.json(c.resp(), 200, scaleOf(s.object()));
      }
      case "update" -> {
        ObjectNode body = writes.decode(c, SCALE);
        write(c, body);
      }
      case "patch" -> {
        Patches.Type type = Patches.type(c.req().contentType());
        JsonNode patch = Patches.parse(c.req().body(), type);
        Stored s = ctx.store.get(c.type(), c.namespace(), c.name()).orElseThrow(() -> ApiError.notFound(c.type(), c.name()));
        ObjectNode scale = scaleOf(s.object());
        ObjectNode patched = Patches.applyTo(scale, patch, type, SCALE);
        String rv = patched.path("metadata").path("resourceVersion").asText("");
        if (rv.equals(scale.path("metadata").path("resourceVersion").asText())) {
          ((ObjectNode) patched.get("metadata")).remove("resourceVersion");
        }
        write(c, patched);
      }
      default -> throw ApiError.methodNotAllowed();
    }
  }

  private void write(Call c, ObjectNode scale) throws IOException {
    JsonNode r = scale.path("spec").path("replicas");
    long replicas = r.isMissingNode() || r.isNull() ? 0 : r.asLong();
    if (!r.isMissingNode() && !r.isNull() && !r.isIntegralNumber()) {
      throw ApiError.badRequest("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal "
          + BodyDecoder.goKind(r) + " into Go struct field ScaleSpec.spec.replicas of type int32");
    }
    if (replicas < 0) {
      throw ApiError.invalid("Scale", "autoscaling", c.name(), List.of(FieldError.invalid(
          FieldPath.of("spec", "replicas"), replicas, "must be greater than or equal to 0")));
    }
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    Stored s = writes.guaranteedUpdate(c, c.type(), "", current -> {
      ((ObjectNode) current.with("spec")).put("replicas", (int) replicas);
      ObjectNode meta = (ObjectNode) current.get("metadata");
      if (rv.isEmpty()) meta.remove("resourceVersion");
      else meta.put("resourceVersion", rv);
      return current;
    }, false);
    Responder.json(c.resp(), 200, scaleOf(s.object()));
  }

  /** The Scale of a scalable object. */
  public static ObjectNode scaleOf(ObjectNode obj) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.has(f)) meta.set(f, m.get(f));
    }
    s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode st = s.putObject("status");
    st.put("replicas", obj.path("status").path("replicas").asInt(0));
    String sel = selectorString(obj.path("spec").path("selector"));
    if (!sel.isEmpty()) st.put("selector", sel);
    return s;
  }

  /** A LabelSelector as its string form, requirements sorted by key (labels.Selector.String()). */
  public static String selectorString(JsonNode selector) {
    TreeMap<String, List<String>> reqs = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields(); it.hasNext(); ) {
      var e = it.next();
      reqs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText());
    }
    for (JsonNode x : selector.path("matchExpressions")) {
      String key = x.path("key").asText();
      List<String> vals = new ArrayList<>();
      for (JsonNode v : x.path("values")) vals.add(v.asText());
      vals.sort(null);
      String req = switch (x.path("operator").asText()) {
        case "In" -> key + " in (" + String.join(",", vals) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", vals) + ")";
        case "Exists" -> key;
        case "DoesNotExist" -> "!" + key;
        default -> key;
      };
      reqs.computeIfAbsent(key, k -> new ArrayList<>()).add(req);
    }
    List<String> out = new ArrayList<>();
    reqs.values().forEach(out::addAll);
    return String.join(",", out);
  }
}
