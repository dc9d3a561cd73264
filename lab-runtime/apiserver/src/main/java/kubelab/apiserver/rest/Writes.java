package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.admission.AdmissionRequest;
import kubelab.apiserver.admission.AdmissionRequest.Operation;
import kubelab.apiserver.registry.Stored;
import kubelab.apiserver.registry.Strategy;

/**
 * Create, update (PUT) and patch, in kube-apiserver's order (Kubernetes 1.32):
 * <ol>
 *   <li>decode the body (type errors are 400; unknown fields are refused, warned about or ignored
 *       per {@code fieldValidation}) and apply the kind's defaults;
 *   <li>mutating admission (LimitRange defaults, ServiceAccount, priority, default tolerations);
 *   <li>server metadata (uid, creationTimestamp, generateName, generation), the kind's
 *       PrepareForCreate/PrepareForUpdate, then validation: 422 Invalid with field causes;
 *   <li>validating admission (ResourceQuota, namespace lifecycle, ...);
 *   <li>a compare-and-swap write on the key's mod revision.
 * </ol>
 * Updates are Kubernetes' GuaranteedUpdate loop: an update that names a resourceVersion fails
 * with 409 Conflict if the object moved on ("the object has been modified; please apply your
 * changes to the latest version and try again"); one that does not is retried on the newest
 * version. An update that changes nothing is not written and keeps the resourceVersion.
 */
public final class Writes {
  private final RestContext ctx;
  private final Deletes deletes;

  public Writes(RestContext ctx, Deletes deletes) {
    this.ctx = ctx;
    this.deletes = deletes;
  }

  // --- create -----------------------------------------------------------------------------------

  public void create(Call c) throws IOException {
    ObjectNode obj = decode(c, c.type());
    Stored s = create(c, obj);
    Responder.object(c.req(), c.resp(), 201, c.type(), s.object(), ctx.now());
  }

  /** Creates a decoded object (also used by callers that build the object themselves). */
  public Stored create(Call c, ObjectNode obj) {
    ResourceType t = c.type();
    ObjectMetaRules.namespace(t, obj, c.namespace());
    ctx.defaults.accept(t, obj);
    String ns = obj.path("metadata").path("namespace").asText("");
    String name = obj.path("metadata").path("name").asText("");
    AdmissionRequest ar = new AdmissionRequest(Operation.CREATE, t, "", ns, name, obj, null, c.user(), c.dryRun());
    ctx.admission.admit(ar);
    ObjectMetaRules.beforeCreate(ctx, t, obj);
    Strategy st = ctx.strategy(t);
    st.prepareForCreate(obj);
    for (int attempt = 0; ; attempt++) {
      ObjectMetaRules.generateName(ctx, obj);
      name = obj.path("metadata").path("name").asText("");
      List<FieldError> errs = ObjectMetaRules.validateMeta(t, obj);
      errs.addAll(st.validate(obj));
      if (!errs.isEmpty()) throw ApiError.invalid(t, name, errs);
      ctx.admission.validate(new AdmissionRequest(Operation.CREATE, t, "", ns, name, obj, null, c.user(), c.dryRun()));
      if (c.dryRun()) return new Stored(obj, 0);
      try {
        return ctx.store.create(t, obj);
      } catch (ApiError e) {
        boolean generated = !obj.path("metadata").path("generateName").asText("").isEmpty();
        if (e.code() == 409 && generated && attempt < 5) {
          ((ObjectNode) obj.get("metadata")).remove("name");
          continue;
        }
        throw e;
      }
    }
  }

  // --- update -----------------------------------------------------------------------------------

  public void update(Call c) throws IOException {
    ObjectNode body = decode(c, c.type());
    checkName(c, body);
    Stored s = guaranteedUpdate(c, c.type(), "", current -> body.deepCopy(), true);
    Responder.object(c.req(), c.resp(), s.modRevision() == 0 && !c.dryRun() ? 201 : 200, c.type(), s.object(), ctx.now());
  }

  /** PUT .../status: only the status of the body is taken. */
  public void updateStatus(Call c) throws IOException {
    ObjectNode body = decode(c, c.type());
    checkName(c, body);
    Stored s = guaranteedUpdate(c, c.type(), "status", current -> {
      ObjectNode next = current.deepCopy();
      ((ObjectNode) next.get("metadata")).put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
      JsonNode st = body.get("status");
      if (st == null) next.remove("status");
      else next.set("status", st);
      return next;
    }, true);
    Responder.object(c.req(), c.resp(), 200, c.type(), s.object(), ctx.now());
  }

  /** PUT namespaces/NAME/finalize: only spec.finalizers is taken (what the namespace controller uses). */
  public void finalizeNamespace(Call c) throws IOException {
    ObjectNode body = decode(c, c.type());
    checkName(c, body);
    Stored s = guaranteedUpdate(c, c.type(), "finalize", current -> body.deepCopy(), true);
    Responder.object(c.req(), c.resp(), 200, c.type(), s.object(), ctx.now());
  }

  private static void checkName(Call c, ObjectNode body) {
    String n = body.path("metadata").path("name").asText("");
    if (n.isEmpty()) {
      ((ObjectNode) body.get("metadata")).put("name", c.name());
    } else if (!n.equals(c.name())) {
      throw ApiError.badRequest("the name of the object (" + n + ") does not match the name on the URL (" + c.name() + ")");
    }
  }

  /**
   * Read, transform, validate, write; retried on a concurrent write unless the new object names a
   * resourceVersion (then 409 Conflict).
   *
   * @param sub "" for the main resource, "status" for the status subresource (only status changes)
   * @param transform builds the desired object from the current one (a copy the caller may change)
   */
  public Stored guaranteedUpdate(Call c, ResourceType t, String sub, UnaryOperator<ObjectNode> transform,
      boolean fromBody) {
    Strategy st = ctx.strategy(t);
    for (int attempt = 0; attempt < 20; attempt++) {
      Optional<Stored> cur = ctx.store.get(t, c.namespace(), c.name());
      if (cur.isEmpty()) {
        if (sub.isEmpty() && fromBody && st.allowCreateOnUpdate()) {
          ObjectNode obj = transform.apply(null);
          ((ObjectNode) obj.get("metadata")).remove("resourceVersion");
          Stored created = create(c, obj);
          return new Stored(created.object(), 0);
        }
        throw ApiError.notFound(t, c.name());
      }
      ObjectNode old = cur.get().object();
      long oldRev = cur.get().modRevision();
      ObjectNode obj = transform.apply(old.deepCopy());
      ObjectNode meta = obj.with("metadata");
      String rv = meta.path("resourceVersion").asText("");
      if (rv.isEmpty()) {
        if (!st.allowUnconditionalUpdate() && fromBody) {
          throw ApiError.invalid(t, c.name(), List.of(FieldError.invalid(
              kubelab.api.validation.FieldPath.of("metadata", "resourceVersion"), 0, "must be specified for an update")));
        }
      } else if (!rv.equals(Long.toString(oldRev))) {
        try {
          Long.parseLong(rv);
        } catch (NumberFormatException e) {
          throw ApiError.badRequest("invalid resource version: " + rv);
        }
        throw ApiError.modified(t, c.name());
      }
      boolean conditional = !rv.isEmpty();
      if (sub.equals("binding")) {
        // pods/binding writes spec.nodeName and a condition directly, as BindingREST does.
        ctx.admission.validate(new AdmissionRequest(Operation.CREATE, t, sub, c.namespace(), c.name(), obj, old, c.user(), c.dryRun()));
      } else if (sub.isEmpty()) {
        ObjectMetaRules.namespace(t, obj, c.namespace());
        if (t.hasStatus()) {
          JsonNode oldStatus = old.get("status");
          if (oldStatus == null) obj.remove("status");
          else obj.set("status", oldStatus.deepCopy());
        }
        ctx.defaults.accept(t, obj);
        ObjectMetaRules.beforeUpdate(t, obj, old);
        ctx.admission.admit(new AdmissionRequest(Operation.UPDATE, t, "", c.namespace(), c.name(), obj, old, c.user(), c.dryRun()));
        st.prepareForUpdate(obj, old);
        List<FieldError> errs = ObjectMetaRules.validateMeta(t, obj);
        errs.addAll(kubelab.api.validation.MetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
        errs.addAll(st.validateUpdate(obj, old));
        if (!errs.isEmpty()) throw ApiError.invalid(t, c.name(), dedupe(errs));
      } else if (sub.equals("finalize")) {
        obj = kubelab.apiserver.registry.Strategies.finalizeNamespace(obj, old);
      } else {
        // A status write changes nothing but status (ResetObjectMetaForStatus).
        ObjectNode next = old.deepCopy();
        JsonNode status = obj.get("status");
        if (status == null) next.remove("status");
        else next.set("status", status.deepCopy());
        obj = next;
        ctx.admission.admit(new AdmissionRequest(Operation.UPDATE, t, sub, c.namespace(), c.name(), obj, old, c.user(), c.dryRun()));
        List<FieldError> errs = st.validateStatusUpdate(obj, old);
        if (!errs.isEmpty()) throw ApiError.invalid(t, c.name(), errs);
      }
      if (!sub.equals("binding")) {
        ctx.admission.validate(new AdmissionRequest(Operation.UPDATE, t, sub, c.namespace(), c.name(), obj, old, c.user(), c.dryRun()));
      }
      ((ObjectNode) obj.get("metadata")).put("resourceVersion", Long.toString(oldRev));
      if (obj.equals(old)) return cur.get(); // no-op: nothing is written, the resourceVersion stays
      if (c.dryRun()) return new Stored(obj, oldRev);
      if (deletes.finalizedAway(t, obj)) {
        long rev = ctx.store.remove(t, c.namespace(), c.name(), oldRev);
        if (rev < 0) {
          if (conditional) throw ApiError.modified(t, c.name());
          continue;
        }
        ((ObjectNode) obj.get("metadata")).put("resourceVersion", Long.toString(rev));
        return new Stored(obj, rev);
      }
      Optional<Stored> written = ctx.store.replace(t, obj, oldRev);
      if (written.isPresent()) return written.get();
      if (conditional) throw ApiError.modified(t, c.name());
    }
    throw ApiError.conflict(t, c.name(), "too many concurrent updates; please try again");
  }

  private static List<FieldError> dedupe(List<FieldError> errs) {
    List<FieldError> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (FieldError e : errs) {
      if (!seen.contains(e.toString())) {
        seen.add(e.toString());
        out.add(e);
      }
    }
    return out;
  }

  // --- decoding ---------------------------------------------------------------------------------

  /**
   * Decodes a request body as an object of type {@code t}: JSON or YAML, the endpoint's
   * apiVersion/kind, the schema's types, and the fieldValidation directive (Strict: unknown or
   * duplicate fields are 400; Warn: a Warning header each; Ignore).
   */
  public ObjectNode decode(Call c, ResourceType t) {
    BodyDecoder.Decoded d = BodyDecoder.decode(c.req().body(), c.req().contentType());
    ObjectNode obj = d.object();
    ObjectMetaRules.checkTypeMeta(t, obj, t.apiVersion(), t.kind());
    checkSchema(c, t, obj, d.duplicates());
    return obj;
  }

  /** Type errors and field validation of a decoded or patched object. */
  public void checkSchema(Call c, ResourceType t, ObjectNode obj, List<String> duplicates) {
    String prefix = t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind() + ": ";
    List<String> typeErrors = ctx.schema.typeErrors(t, obj);
    if (!typeErrors.isEmpty()) throw ApiError.badRequest(prefix + typeErrors.get(0));
    String directive = fieldValidation(c);
    if (directive.equals("Ignore")) return;
    List<String> problems = new ArrayList<>();
    for (String f : ctx.schema.unknownFields(t, obj)) problems.add("unknown field \"" + f + "\"");
    for (String f : duplicates) problems.add("duplicate field \"" + f + "\"");
    if (problems.isEmpty()) return;
    if (directive.equals("Strict")) {
      throw ApiError.badRequest(prefix + "strict decoding error: " + String.join(", ", problems));
    }
    for (String p : problems) c.resp().header("Warning", "299 - \"" + p.replace("\"", "\\\"") + "\"");
  }

  /** Strict, Warn (kube-apiserver's default when the client says nothing) or Ignore. */
  static String fieldValidation(Call c) {
    String v = c.req().param("fieldValidation");
    if (v == null || v.isEmpty()) return "Warn";
    return switch (v) {
      case "Strict", "Warn", "Ignore" -> v;
      default -> throw ApiError.badRequest("fieldValidation parameter unsupported: " + v);
    };
  }
}
