package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import kubelab.api.Json;
import kubelab.api.patch.JsonMergePatch;
import kubelab.api.patch.JsonPatch;
import kubelab.api.patch.PatchException;
import kubelab.api.patch.StrategicMergePatch;
import kubelab.api.registry.ResourceType;
import kubelab.api.schema.Schema;
import kubelab.api.schema.SchemaCatalog;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.Stored;

/**
 * PATCH with the three patch types kubectl uses, chosen by Content-Type:
 * {@code application/json-patch+json} (RFC 6902), {@code application/merge-patch+json}
 * (RFC 7386) and {@code application/strategic-merge-patch+json} (merge keys from the schema).
 * Server-side apply ({@code application/apply-patch+yaml}) is not implemented: 415.
 *
 * <p>The patch is applied to the newest version inside the update loop, so a patch without a
 * resourceVersion never conflicts (it is re-applied to the newer object); one that sets
 * metadata.resourceVersion is a precondition, as in Kubernetes.
 */
public final class Patches {
  private final RestContext ctx;
  private final Writes writes;

  public Patches(RestContext ctx, Writes writes) {
    this.ctx = ctx;
    this.writes = writes;
  }

  public enum Type { JSON, MERGE, STRATEGIC }

  public static Type type(String contentType) {
    if (contentType == null) throw unsupported();
    return switch (contentType) {
      case "application/json-patch+json" -> Type.JSON;
      case "application/merge-patch+json" -> Type.MERGE;
      case "application/strategic-merge-patch+json" -> Type.STRATEGIC;
      default -> throw unsupported();
    };
  }

  private static ApiError unsupported() {
    return ApiError.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
  }

  /** PATCH on the main resource or on its status subresource. */
  public void patch(Call c, String sub) throws IOException {
    ResourceType t = c.type();
    Type type = type(c.req().contentType());
    JsonNode patch = parse(c.req().body(), type);
    Stored s = writes.guaranteedUpdate(c, t, sub, current -> {
      String currentRv = current.path("metadata").path("resourceVersion").asText();
      ObjectNode patched = applyTo(current, patch, type, t);
      ObjectMetaRules.checkTypeMeta(t, patched, t.apiVersion(), t.kind());
      writes.checkSchema(c, t, patched, List.of());
      ObjectNode meta = (ObjectNode) patched.get("metadata");
      if (currentRv.equals(meta.path("resourceVersion").asText())) meta.remove("resourceVersion");
      return patched;
    }, false);
    Responder.object(c.req(), c.resp(), 200, t, s.object(), ctx.now());
  }

  public static JsonNode parse(byte[] body, Type type) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n == null) throw ApiError.badRequest("empty patch");
      if (type == Type.JSON && !n.isArray()) {
        throw ApiError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      }
      if (type != Type.JSON && !n.isObject()) {
        throw ApiError.badRequest("json: cannot unmarshal " + BodyDecoder.goKind(n) + " into Go value of type map[string]interface {}");
      }
      return n;
    } catch (IOException e) {
      String m = e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage();
      throw ApiError.badRequest("error decoding patch: " + m);
    }
  }

  /** Applies a patch to an object of kind {@code t}; 400 for a malformed patch, 422 for one that does not apply. */
  public static ObjectNode applyTo(ObjectNode current, JsonNode patch, Type type, ResourceType t) {
    try {
      JsonNode out = switch (type) {
        case JSON -> JsonPatch.apply(current, patch);
        case MERGE -> JsonMergePatch.apply(current, patch);
        case STRATEGIC -> StrategicMergePatch.apply(current, patch, schemaOf(t));
      };
      if (!(out instanceof ObjectNode o)) throw ApiError.badRequest("the patch turned the object into a " + BodyDecoder.goKind(out));
      if (!o.path("metadata").isObject()) o.putObject("metadata");
      return o;
    } catch (PatchException e) {
      if (e.badRequest()) throw ApiError.badRequest(e.getMessage());
      throw new ApiError(422, ApiError.INVALID, e.getMessage(), null);
    }
  }

  static Schema schemaOf(ResourceType t) {
    return SchemaCatalog.builtin().forKind(t.apiVersion(), t.kind()).orElse(null);
  }
}
