package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.admission.AdmissionRequest;
import kubelab.apiserver.admission.AdmissionRequest.Operation;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;
import kubelab.apiserver.registry.Strategy;

/**
 * DELETE of one object and of a collection, with Kubernetes 1.32's lifecycle:
 * <ul>
 *   <li><b>graceful</b>: when the kind's strategy asks for a grace period (a pod on a node: the
 *       kubelet must stop its containers first), the object gets {@code deletionTimestamp} =
 *       now + grace and {@code deletionGracePeriodSeconds}, and stays until its owner deletes it
 *       with grace 0; a later delete may only shorten the grace;
 *   <li><b>finalizers</b>: an object with finalizers gets {@code deletionTimestamp} and stays until
 *       the last finalizer is removed (then the update that removes it deletes the object);
 *   <li><b>propagation</b>: {@code Orphan} adds the {@code orphan} finalizer, {@code Foreground}
 *       adds {@code foregroundDeletion} (the garbage collector acts on them), {@code Background}
 *       (the default) deletes the owner at once and leaves dependents to the collector;
 *   <li><b>preconditions</b> on uid and resourceVersion (409 Conflict when they do not hold).
 * </ul>
 * The answer is the object when it still exists (pending) or, for pods, the deleted object;
 * other kinds answer a Success Status, as kube-apiserver does.
 */
public final class Deletes {
  public static final String ORPHAN = "orphan";
  public static final String FOREGROUND = "foregroundDeletion";

  private final RestContext ctx;

  public Deletes(RestContext ctx) {
    this.ctx = ctx;
  }

  /** The parsed DeleteOptions of a request (body or query parameters). */
  record Options(Long gracePeriodSeconds, String propagationPolicy, String uid, String resourceVersion) {}

  Options options(Call c) {
    Long grace = null;
    String prop = null;
    String uid = null;
    String rv = null;
    Boolean orphan = null;
    byte[] body = c.req().body();
    if (body.length > 0 && !new String(body).isBlank()) {
      ObjectNode o = BodyDecoder.decode(body, c.req().contentType()).object();
      if (o.hasNonNull("gracePeriodSeconds")) grace = o.get("gracePeriodSeconds").asLong();
      if (o.hasNonNull("propagationPolicy")) prop = o.get("propagationPolicy").asText();
      if (o.hasNonNull("orphanDependents")) orphan = o.get("orphanDependents").asBoolean();
      JsonNode pre = o.path("preconditions");
      if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
      if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
    }
    if (c.req().param("gracePeriodSeconds") != null) grace = Reads.parseLong(c.req().param("gracePeriodSeconds"), "gracePeriodSeconds");
    if (c.req().param("propagationPolicy") != null) prop = c.req().param("propagationPolicy");
    if (c.req().param("orphanDependents") != null) orphan = Boolean.parseBoolean(c.req().param("orphanDependents"));
    if (prop != null && orphan != null) {
      throw ApiError.invalid("DeleteOptions", "meta.k8s.io", "", List.of(kubelab.api.validation.FieldError.invalid(
          kubelab.api.validation.FieldPath.of("propagationPolicy"), prop,
          "orphanDependents and deletionPropagation cannot be both set")));
    }
    if (prop == null && orphan != null) prop = orphan ? "Orphan" : "Background";
    if (prop != null && !List.of("Orphan", "Background", "Foreground").contains(prop)) {
      throw ApiError.invalid("DeleteOptions", "meta.k8s.io", "", List.of(kubelab.api.validation.FieldError.notSupported(
          kubelab.api.validation.FieldPath.of("propagationPolicy"), prop, List.of("Foreground", "Background", "Orphan"))));
    }
    if (grace != null && grace < 0) grace = 1L; // negative grace is treated as 1 second, as in Kubernetes
    return new Options(grace, prop, uid, rv);
  }

  public void delete(Call c) throws IOException {
    Options o = options(c);
    Result r = delete(c, c.type(), c.namespace(), c.name(), o);
    respond(c, r);
  }

  /** What a delete did: removed the object, or left it pending (graceful or finalizers). */
  public record Result(ObjectNode object, boolean deleted) {}

  Result delete(Call c, ResourceType t, String ns, String name, Options o) {
    Strategy st = ctx.strategy(t);
    for (int attempt = 0; attempt < 20; attempt++) {
      Stored cur = ctx.store.get(t, ns, name).orElseThrow(() -> ApiError.notFound(t, name));
      ObjectNode obj = cur.object().deepCopy();
      ObjectNode meta = (ObjectNode) obj.get("metadata");
      if (o.uid() != null && !o.uid().equals(meta.path("uid").asText())) {
        throw ApiError.conflict(t, name, "Precondition failed: UID in precondition: " + o.uid()
            + ", UID in object meta: " + meta.path("uid").asText());
      }
      if (o.resourceVersion() != null && !o.resourceVersion().equals(meta.path("resourceVersion").asText())) {
        throw ApiError.conflict(t, name, "Precondition failed: ResourceVersion in precondition: "
            + o.resourceVersion() + ", ResourceVersion in object meta: " + meta.path("resourceVersion").asText());
      }
      ctx.admission.validate(new AdmissionRequest(Operation.DELETE, t, "", ns, name, null, cur.object(), c.user(), c.dryRun()));
      long grace = st.gracePeriodSeconds(obj, o.gracePeriodSeconds());
      String prop = o.propagationPolicy() != null ? o.propagationPolicy() : st.defaultPropagationPolicy();
      List<String> finalizers = new ArrayList<>();
      for (JsonNode f : meta.path("finalizers")) finalizers.add(f.asText());
      boolean alreadyDeleting = meta.hasNonNull("deletionTimestamp");
      if (o.propagationPolicy() != null || !alreadyDeleting) {
        if (prop.equals("Orphan")) {
          finalizers.remove(FOREGROUND);
          if (!finalizers.contains(ORPHAN)) finalizers.add(ORPHAN);
        } else if (prop.equals("Foreground")) {
          finalizers.remove(ORPHAN);
          if (!finalizers.contains(FOREGROUND)) finalizers.add(FOREGROUND);
        } else {
          finalizers.remove(ORPHAN);
          finalizers.remove(FOREGROUND);
        }
      }
      Instant now = ctx.now().truncatedTo(ChronoUnit.SECONDS);
      boolean held = st.holdOnDelete(obj);
      if (alreadyDeleting) {
        long curGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
        boolean shorten = grace < curGrace;
        if (!shorten && finalizers.equals(listOf(meta.path("finalizers"))) && obj.equals(cur.object())) {
          return new Result(cur.object(), false); // already pending; nothing changes
        }
        if (shorten) {
          meta.put("deletionTimestamp", now.plusSeconds(grace).toString());
          meta.put("deletionGracePeriodSeconds", grace);
        }
      } else if (grace > 0 || !finalizers.isEmpty() || held) {
        meta.put("deletionTimestamp", now.plusSeconds(grace).toString());
        meta.put("deletionGracePeriodSeconds", grace);
      }
      setFinalizers(meta, finalizers);
      boolean pending = !finalizers.isEmpty() || meta.path("deletionGracePeriodSeconds").asLong(0) > 0 || held;
      if (c.dryRun()) return new Result(obj, !pending);
      if (pending) {
        Optional<Stored> w = ctx.store.replace(t, obj, cur.modRevision());
        if (w.isEmpty()) {
          if (o.resourceVersion() != null) throw ApiError.modified(t, name);
          continue;
        }
        return new Result(w.get().object(), false);
      }
      long rev = ctx.store.remove(t, ns, name, cur.modRevision());
      if (rev < 0) {
        if (o.resourceVersion() != null) throw ApiError.modified(t, name);
        continue;
      }
      return new Result(cur.object(), true);
    }
    throw ApiError.conflict(t, name, "too many concurrent updates; please try again");
  }

  private static List<String> listOf(JsonNode arr) {
    List<String> out = new ArrayList<>();
    for (JsonNode x : arr) out.add(x.asText());
    return out;
  }

  private static void setFinalizers(ObjectNode meta, List<String> finalizers) {
    if (finalizers.isEmpty()) {
      meta.remove("finalizers");
    } else {
      ArrayNode a = meta.putArray("finalizers");
      finalizers.forEach(a::add);
    }
  }

  /**
   * Whether an update leaves an object that should now be removed: it is being deleted, with no
   * grace period left to wait for and no finalizers.
   */
  public boolean finalizedAway(ResourceType t, ObjectNode obj) {
    JsonNode meta = obj.path("metadata");
    return meta.hasNonNull("deletionTimestamp") && !ctx.strategy(t).heldForDeletion(obj)
        && (!meta.has("finalizers") || meta.path("finalizers").isEmpty())
        && meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
  }

  private void respond(Call c, Result r) throws IOException {
    ResourceType t = c.type();
    if (!r.deleted() || returnsDeletedObject(t)) {
      Responder.object(c.req(), c.resp(), 200, t, r.object(), ctx.now());
      return;
    }
    Responder.json(c.resp(), 200, success(t, r.object()));
  }

  /** Kinds whose delete answers the deleted object (pods in Kubernetes 1.32); the others a Status. */
  static boolean returnsDeletedObject(ResourceType t) {
    return t.group().isEmpty() && t.plural().equals("pods");
  }

  static ObjectNode success(ResourceType t, ObjectNode obj) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    d.put("name", obj.path("metadata").path("name").asText());
    if (!t.group().isEmpty()) d.put("group", t.group());
    d.put("kind", t.plural());
    d.put("uid", obj.path("metadata").path("uid").asText());
    return s;
  }

  public void deleteCollection(Call c) throws IOException {
    Options o = options(c);
    Selectors sel = Selectors.of(c.req(), c.type());
    ObjectStore.Page page = ctx.store.list(c.type(), c.namespace(), sel.predicate(), 0, null, 0, !sel.everything());
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", c.type().listKind());
    list.put("apiVersion", c.type().apiVersion());
    ArrayNode items = list.putArray("items");
    for (Stored s : page.items()) {
      String ns = s.object().path("metadata").path("namespace").asText("");
      String name = s.object().path("metadata").path("name").asText();
      try {
        items.add(delete(c, c.type(), ns, name, o).object());
      } catch (ApiError e) {
        if (e.code() != 404) throw e;
      }
    }
    list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
    Responder.json(c.resp(), 200, list);
  }
}
