package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.FieldPath;
import kubelab.apiserver.ApiError;

/**
 * {@code POST pods/NAME/binding}: how a scheduler assigns a pod to a node (Kubernetes 1.32's
 * BindingREST). In one compare-and-swap update the pod gets {@code spec.nodeName}, the binding's
 * annotations, and the condition PodScheduled=True. A pod that is already bound is 409 Conflict
 * ({@code pod web is already assigned to node "node-1"}), as is one being deleted; the answer to
 * a successful binding is a Success Status with code 201.
 */
public final class PodBinding {
  private final RestContext ctx;
  private final Writes writes;

  public PodBinding(RestContext ctx, Writes writes) {
    this.ctx = ctx;
    this.writes = writes;
  }

  public void create(Call c) throws IOException {
    ResourceType bindingType = ctx.resources.find("", "v1", "bindings").orElseThrow();
    ObjectNode b = writes.decode(c, bindingType);
    bind(c, b);
  }

  /** POST /namespaces/NS/bindings (the older top-level form): the pod is named by the body. */
  public void createTopLevel(Call c) throws IOException {
    ResourceType bindingType = c.type();
    ObjectNode b = writes.decode(c, bindingType);
    String name = b.path("metadata").path("name").asText("");
    ResourceType pods = ctx.resources.find("", "v1", "pods").orElseThrow();
    Call podCall = new Call(c.req(), c.resp(), new kubelab.apiserver.http.RequestInfo(true, c.info().path(), "create",
        "api", "", "v1", c.namespace(), "pods", "binding", name, List.of()), pods, c.user());
    bind(podCall, b);
  }

  private void bind(Call c, ObjectNode b) throws IOException {
    String bindName = b.path("metadata").path("name").asText("");
    if (!bindName.isEmpty() && !bindName.equals(c.name())) {
      throw ApiError.badRequest("name in URL does not match name in Binding object");
    }
    JsonNode target = b.path("target");
    String kind = target.path("kind").asText("");
    String node = target.path("name").asText("");
    if (!kind.isEmpty() && !kind.equals("Node")) {
      throw ApiError.invalid("Binding", "", c.name(), List.of(FieldError.invalid(FieldPath.of("target", "kind"), kind,
          "must be empty or 'Node'")));
    }
    if (node.isEmpty()) {
      throw ApiError.invalid("Binding", "", c.name(), List.of(FieldError.required(FieldPath.of("target", "name"), "")));
    }
    String uid = b.path("metadata").path("uid").asText("");
    String rv = b.path("metadata").path("resourceVersion").asText("");
    ResourceType pods = c.type();
    // Like Kubernetes' BindingREST: a compare-and-swap on the stored pod (storage's GuaranteedUpdate),
    // not a user update, so the pod update strategy (spec immutability, status reset) does not apply.
    writes.guaranteedUpdate(c, pods, "binding", pod -> {
      ObjectNode meta = (ObjectNode) pod.get("metadata");
      if (meta.hasNonNull("deletionTimestamp")) {
        throw ApiError.conflict("pods/binding", "", "pods", c.name(),
            "pod " + c.name() + " is being deleted, cannot be assigned to a host");
      }
      String current = pod.path("spec").path("nodeName").asText("");
      if (!current.isEmpty()) {
        throw ApiError.conflict("pods/binding", "", "pods", c.name(),
            "pod " + c.name() + " is already assigned to node \"" + current + "\"");
      }
      if (!uid.isEmpty() && !uid.equals(meta.path("uid").asText())) {
        throw ApiError.conflict("pods/binding", "", "pods", c.name(), "Precondition failed: UID in precondition: "
            + uid + ", UID in object meta: " + meta.path("uid").asText());
      }
      if (!rv.isEmpty() && !rv.equals(meta.path("resourceVersion").asText())) {
        throw ApiError.conflict("pods/binding", "", "pods", c.name(), "Precondition failed: ResourceVersion in "
            + "precondition: " + rv + ", ResourceVersion in object meta: " + meta.path("resourceVersion").asText());
      }
      meta.remove("resourceVersion");
      pod.with("spec").put("nodeName", node);
      JsonNode ann = b.path("metadata").path("annotations");
      if (ann.isObject() && ann.size() > 0) {
        ObjectNode a = meta.with("annotations");
        for (Iterator<Map.Entry<String, JsonNode>> it = ann.fields(); it.hasNext(); ) {
          var e = it.next();
          a.set(e.getKey(), e.getValue());
        }
      }
      setCondition(pod.with("status"), "PodScheduled", "True", ctx.timestamp());
      return pod;
    }, false);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    s.put("code", 201);
    Responder.json(c.resp(), 201, s);
  }

  /** Sets (or replaces) a condition of a status, keeping lastTransitionTime if unchanged. */
  public static void setCondition(ObjectNode status, String type, String value, String now) {
    ArrayNode conds = status.has("conditions") && status.get("conditions").isArray()
        ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
    for (JsonNode cond : conds) {
      if (type.equals(cond.path("type").asText())) {
        ObjectNode o = (ObjectNode) cond;
        if (!value.equals(o.path("status").asText())) o.put("lastTransitionTime", now);
        o.put("status", value);
        o.putNull("lastProbeTime");
        return;
      }
    }
    ObjectNode o = conds.addObject();
    o.put("type", type);
    o.put("status", value);
    o.putNull("lastProbeTime");
    o.put("lastTransitionTime", now);
  }
}
