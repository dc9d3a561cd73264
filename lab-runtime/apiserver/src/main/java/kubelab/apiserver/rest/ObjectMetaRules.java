package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.MetaValidation;
import kubelab.api.validation.Names;
import kubelab.apiserver.ApiError;

/**
 * The server's part of metadata (k8s.io/apiserver rest.BeforeCreate / BeforeUpdate, Kubernetes
 * 1.32): type and namespace checks against the URL, the uid and creationTimestamp the server
 * sets, generateName, generation, and the metadata fields a client may not change.
 */
public final class ObjectMetaRules {
  private ObjectMetaRules() {}

  /**
   * Checks apiVersion and kind against the endpoint; fills them in when the body omits them
   * (as the decoder's default GroupVersionKind does).
   */
  public static void checkTypeMeta(ResourceType t, ObjectNode obj, String expectedApiVersion, String expectedKind) {
    String av = obj.path("apiVersion").asText("");
    String kind = obj.path("kind").asText("");
    if (!av.isEmpty() && !av.equals(expectedApiVersion)) {
      throw ApiError.badRequest("the API version in the data (" + av + ") does not match the expected API version ("
          + expectedApiVersion + ")");
    }
    if (!kind.isEmpty() && !kind.equals(expectedKind)) {
      throw ApiError.badRequest(expectedKind + " in version \"" + versionOf(expectedApiVersion)
          + "\" cannot be handled as a " + kind + ": the kind in the data (" + kind
          + ") does not match the kind of the endpoint (" + expectedKind + ")");
    }
    obj.put("apiVersion", expectedApiVersion);
    obj.put("kind", expectedKind);
    JsonNode meta = obj.get("metadata");
    if (meta == null || meta.isNull()) {
      obj.putObject("metadata");
    } else if (!meta.isObject()) {
      throw ApiError.badRequest(expectedKind + " in version \"" + versionOf(expectedApiVersion)
          + "\" cannot be handled as a " + expectedKind + ": json: cannot unmarshal "
          + BodyDecoder.goKind(meta) + " into Go struct field " + expectedKind
          + ".metadata of type v1.ObjectMeta");
    }
  }

  static String versionOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  /** The URL's namespace wins; a different one in the body is 400 (EnsureObjectNamespaceMatchesRequestNamespace). */
  public static void namespace(ResourceType t, ObjectNode obj, String urlNamespace) {
    ObjectNode meta = obj.with("metadata");
    String ns = meta.path("namespace").asText("");
    if (!t.namespaced()) {
      meta.remove("namespace");
      return;
    }
    if (ns.isEmpty()) {
      meta.put("namespace", urlNamespace);
    } else if (!ns.equals(urlNamespace)) {
      throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  /** Server-set fields of a new object: uid, creationTimestamp, generation; no deletion fields. */
  public static void beforeCreate(RestContext ctx, ResourceType t, ObjectNode obj) {
    ObjectNode meta = obj.with("metadata");
    if (!meta.path("resourceVersion").asText("").isEmpty()) {
      throw ApiError.badRequest("resourceVersion should not be set on objects to be created");
    }
    meta.remove("resourceVersion");
    meta.put("uid", ctx.newUid());
    meta.put("creationTimestamp", ctx.timestamp());
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (t.generation()) meta.put("generation", 1);
    else meta.remove("generation");
  }

  /** generateName: the name is the prefix plus five random characters. */
  public static void generateName(RestContext ctx, ObjectNode obj) {
    ObjectNode meta = obj.with("metadata");
    String name = meta.path("name").asText("");
    String gen = meta.path("generateName").asText("");
    if (name.isEmpty() && !gen.isEmpty()) {
      String prefix = gen.length() > 58 ? gen.substring(0, 58) : gen; // maxGeneratedNameLength = 63 - 5
      meta.put("name", prefix + ctx.nameSuffix());
    }
  }

  /**
   * Carries the server-owned metadata of the stored object into an update: uid and
   * creationTimestamp when the client left them empty, deletion fields always; generation per the
   * kind's rule. Sets the resourceVersion check aside (the caller compares it).
   */
  public static void beforeUpdate(ResourceType t, ObjectNode obj, ObjectNode old) {
    ObjectNode meta = obj.with("metadata");
    JsonNode oldMeta = old.path("metadata");
    if (meta.path("uid").asText("").isEmpty()) copy(meta, oldMeta, "uid");
    if (meta.path("creationTimestamp").asText("").isEmpty() || meta.path("creationTimestamp").isNull()) {
      copy(meta, oldMeta, "creationTimestamp");
    }
    copy(meta, oldMeta, "deletionTimestamp");
    copy(meta, oldMeta, "deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (t.generation()) {
      long gen = oldMeta.path("generation").asLong(1);
      if (specChanged(obj, old)) gen++;
      meta.put("generation", gen);
    } else {
      copy(meta, oldMeta, "generation");
    }
  }

  /** Whether anything outside metadata and status changed (the "spec" in Kubernetes' sense). */
  static boolean specChanged(ObjectNode obj, ObjectNode old) {
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      if (k.equals("metadata") || k.equals("status") || k.equals("apiVersion") || k.equals("kind")) continue;
      if (!e.getValue().equals(old.get(k))) return true;
    }
    for (Iterator<String> it = old.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (k.equals("metadata") || k.equals("status") || k.equals("apiVersion") || k.equals("kind")) continue;
      if (!obj.has(k)) return true;
    }
    // Deployments also bump on annotation changes (annotations are copied to ReplicaSets).
    if ("Deployment".equals(obj.path("kind").asText())
        && !obj.path("metadata").path("annotations").equals(old.path("metadata").path("annotations"))) {
      return true;
    }
    return false;
  }

  private static void copy(ObjectNode meta, JsonNode oldMeta, String field) {
    JsonNode v = oldMeta.get(field);
    if (v == null || v.isNull()) meta.remove(field);
    else meta.set(field, v.deepCopy());
  }

  /** The name rule of a kind (ValidateXName functions of Kubernetes 1.32). */
  public static Names.Rule nameRule(ResourceType t) {
    if (t.group().equals("rbac.authorization.k8s.io")) return Names.Rule.PATH_SEGMENT;
    if (t.group().isEmpty() && t.plural().equals("namespaces")) return Names.Rule.DNS_LABEL;
    if (t.group().isEmpty() && t.plural().equals("services")) return Names.Rule.DNS1035_LABEL;
    return Names.Rule.DNS_SUBDOMAIN;
  }

  public static List<FieldError> validateMeta(ResourceType t, ObjectNode obj) {
    return new ArrayList<>(MetaValidation.validate(obj.path("metadata"), t.namespaced(), nameRule(t)));
  }
}
