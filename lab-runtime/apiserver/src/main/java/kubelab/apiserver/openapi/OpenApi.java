package kubelab.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.api.schema.Field;
import kubelab.api.schema.Schema;
import kubelab.api.schema.SchemaCatalog;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.discovery.Discovery;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.ApiResponse;
import kubelab.apiserver.http.MediaType;
import kubelab.apiserver.rest.Responder;

/**
 * The OpenAPI v3 documents kube-apiserver publishes, built from the {@link SchemaCatalog}:
 * {@code /openapi/v3} lists one document per group version, each at
 * {@code /openapi/v3/apis/GROUP/VERSION?hash=H}; a document has the paths (operations tagged
 * with {@code x-kubernetes-group-version-kind} and {@code x-kubernetes-action}, PATCH with the
 * {@code fieldValidation} parameter and the three patch media types) and the component schemas
 * with their patch metadata ({@code x-kubernetes-patch-merge-key}, ...).
 *
 * <p>kubectl 1.32 uses them for {@code kubectl explain}, to decide that the server validates
 * fields itself ({@code --validate=strict} then sends {@code fieldValidation=Strict}), and to
 * compute {@code kubectl apply}'s strategic merge patch with the same merge keys the server
 * applies. Documents are immutable per hash: a request with the current hash may be cached
 * forever. OpenAPI v2 (protobuf) is not served; kubectl falls back gracefully.
 */
public final class OpenApi {
  private static final String REF = "#/components/schemas/";

  private final Map<String, byte[]> documents = new LinkedHashMap<>(); // "apis/apps/v1" -> doc
  private final Map<String, String> hashes = new LinkedHashMap<>();
  private final byte[] index;

  public OpenApi(Resources resources, SchemaCatalog catalog) {
    for (var e : resources.groups().entrySet()) {
      for (String v : e.getValue()) {
        String key = e.getKey().isEmpty() ? "api/" + v : "apis/" + e.getKey() + "/" + v;
        byte[] doc = Responder.bytes(document(resources, catalog, e.getKey(), v));
        documents.put(key, doc);
        hashes.put(key, Discovery.etag(doc));
      }
    }
    ObjectNode idx = Json.MAPPER.createObjectNode();
    ObjectNode paths = idx.putObject("paths");
    for (var e : hashes.entrySet()) {
      paths.putObject(e.getKey()).put("serverRelativeURL", "/openapi/v3/" + e.getKey() + "?hash=" + e.getValue());
    }
    index = Responder.bytes(idx);
  }

  public boolean serve(ApiRequest req, ApiResponse resp, String path) throws IOException {
    if (path.equals("/openapi/v2")) {
      throw ApiError.noSuchPath();
    }
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      String etag = "\"" + Discovery.etag(index) + "\"";
      resp.header("ETag", etag);
      if (etag.equals(req.header("If-None-Match"))) {
        resp.send(304, null, new byte[0]);
      } else {
        resp.send(200, MediaType.JSON, index);
      }
      return true;
    }
    if (!path.startsWith("/openapi/v3/")) return false;
    String key = path.substring("/openapi/v3/".length());
    byte[] doc = documents.get(key);
    if (doc == null) throw ApiError.noSuchPath();
    String hash = hashes.get(key);
    String etag = "\"" + hash + "\"";
    resp.header("ETag", etag);
    String asked = req.param("hash");
    if (asked != null && asked.equals(hash)) {
      resp.header("Cache-Control", "public, immutable");
      resp.header("Expires", "Sun, 01 Jan 2045 00:00:00 GMT");
    } else if (asked != null) {
      resp.header("Location", "/openapi/v3/" + key + "?hash=" + hash);
      resp.send(301, null, new byte[0]);
      return true;
    } else {
      resp.header("Cache-Control", "no-cache, private");
    }
    if (etag.equals(req.header("If-None-Match"))) {
      resp.send(304, null, new byte[0]);
    } else {
      resp.send(200, MediaType.JSON, doc);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------

  private static ObjectNode document(Resources resources, SchemaCatalog catalog, String group, String version) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    Set<String> roots = new LinkedHashSet<>();
    roots.add("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
    roots.add("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
    for (ResourceType t : resources.inGroupVersion(group, version)) {
      Schema s = catalog.forKind(t.apiVersion(), t.kind()).orElse(null);
      if (s == null) continue;
      roots.add(s.definition());
      addPaths(paths, t, s, catalog);
      for (ResourceType.Subresource sub : t.subresources().values()) {
        String av = sub.group().isEmpty() ? sub.version() : sub.group() + "/" + sub.version();
        catalog.forKind(av, sub.kind()).ifPresent(ss -> roots.add(ss.definition()));
      }
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    Deque<Schema> todo = new ArrayDeque<>();
    for (String r : roots) {
      Schema s = catalog.definition(r);
      if (s != null) todo.add(s);
    }
    Set<String> done = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      Schema s = todo.poll();
      if (!done.add(s.definition())) continue;
      schemas.set(s.definition(), definition(s, todo));
    }
    schemas.set("io.k8s.apimachinery.pkg.api.resource.Quantity", quantity());
    schemas.set("io.k8s.apimachinery.pkg.util.intstr.IntOrString", intOrString());
    schemas.set("io.k8s.apimachinery.pkg.apis.meta.v1.Time", time());
    return doc;
  }

  private static void addPaths(ObjectNode paths, ResourceType t, Schema s, SchemaCatalog catalog) {
    String base = t.groupVersionPath() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
    String ref = REF + s.definition();
    if (!t.persisted()) {
      ObjectNode item = paths.putObject(base);
      item.set("post", op(t, "create", "post", ref, true));
      return;
    }
    ObjectNode coll = paths.putObject(base);
    if (t.hasVerb("list")) coll.set("get", op(t, "list", "get", null, false));
    if (t.hasVerb("create")) coll.set("post", op(t, "post", "post", ref, true));
    if (t.hasVerb("deletecollection")) coll.set("delete", op(t, "deletecollection", "delete", null, false));
    ObjectNode item = paths.putObject(base + "/{name}");
    if (t.hasVerb("get")) item.set("get", op(t, "get", "get", ref, false));
    if (t.hasVerb("update")) item.set("put", op(t, "put", "put", ref, true));
    if (t.hasVerb("patch")) item.set("patch", op(t, "patch", "patch", ref, true));
    if (t.hasVerb("delete")) item.set("delete", op(t, "delete", "delete", null, false));
    for (ResourceType.Subresource sub : t.subresources().values()) {
      if (!sub.name().equals("status") && !sub.name().equals("scale")) continue;
      String av = sub.group().isEmpty() ? sub.version() : sub.group() + "/" + sub.version();
      String sref = catalog.forKind(av, sub.kind()).map(x -> REF + x.definition()).orElse(ref);
      ObjectNode sp = paths.putObject(base + "/{name}/" + sub.name());
      if (sub.verbs().contains("get")) sp.set("get", op(t, "get", "get", sref, false));
      if (sub.verbs().contains("update")) sp.set("put", op(t, "put", "put", sref, true));
      if (sub.verbs().contains("patch")) sp.set("patch", op(t, "patch", "patch", sref, true));
    }
    if (t.namespaced()) {
      ObjectNode all = paths.putObject(t.groupVersionPath() + "/" + t.plural());
      all.set("get", op(t, "list", "get", null, false));
    }
  }

  private static ObjectNode op(ResourceType t, String action, String method, String ref, boolean body) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("operationId", action + t.kind());
    ObjectNode gvk = o.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", t.group());
    gvk.put("version", t.version());
    gvk.put("kind", t.kind());
    o.put("x-kubernetes-action", action);
    ArrayNode params = o.putArray("parameters");
    if (method.equals("post") || method.equals("put") || method.equals("patch")) {
      param(params, "dryRun");
      param(params, "fieldManager");
      param(params, "fieldValidation");
    }
    if (body) {
      ObjectNode content = o.putObject("requestBody").putObject("content");
      List<String> types = method.equals("patch")
          ? List.of("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json")
          : List.of("*/*");
      for (String ct : types) {
        ObjectNode schema = content.putObject(ct).putObject("schema");
        if (method.equals("patch")) schema.put("$ref", REF + "io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
        else schema.put("$ref", ref);
      }
      o.with("requestBody").put("required", true);
    }
    ObjectNode ok = o.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (ref != null) ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
    return o;
  }

  private static void param(ArrayNode params, String name) {
    ObjectNode p = params.addObject();
    p.put("name", name);
    p.put("in", "query");
    p.putObject("schema").put("type", "string");
    p.put("uniqueItems", true);
  }

  private static ObjectNode definition(Schema s, Deque<Schema> todo) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    if (!s.description().isEmpty()) d.put("description", s.description());
    d.put("type", "object");
    ObjectNode props = d.putObject("properties");
    ArrayNode required = Json.MAPPER.createArrayNode();
    for (Field f : s.fields().values()) {
      props.set(f.name(), property(f, todo));
      if (f.required()) required.add(f.name());
    }
    if (!required.isEmpty()) d.set("required", required);
    if (s.kind() != null) {
      ObjectNode gvk = d.putArray("x-kubernetes-group-version-kind").addObject();
      gvk.put("group", s.group());
      gvk.put("version", s.version());
      gvk.put("kind", s.kind());
    }
    return d;
  }

  private static ObjectNode property(Field f, Deque<Schema> todo) {
    ObjectNode p = schemaOf(f.schema(), todo);
    if (p.has("$ref")) {
      ObjectNode wrapped = Json.MAPPER.createObjectNode();
      wrapped.putArray("allOf").add(p);
      p = wrapped;
    }
    if (!f.description().isEmpty()) p.put("description", f.description());
    if (!f.patchStrategy().isEmpty()) p.put("x-kubernetes-patch-strategy", f.patchStrategy());
    if (!f.mergeKey().isEmpty()) p.put("x-kubernetes-patch-merge-key", f.mergeKey());
    if (!f.listType().isEmpty()) p.put("x-kubernetes-list-type", f.listType());
    if (!f.listMapKeys().isEmpty()) {
      ArrayNode keys = p.putArray("x-kubernetes-list-map-keys");
      f.listMapKeys().forEach(keys::add);
    }
    return p;
  }

  private static ObjectNode schemaOf(Schema s, Deque<Schema> todo) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    switch (s.type()) {
      case OBJECT -> {
        if (s.definition() == null) {
          n.put("type", "object");
          n.put("x-kubernetes-preserve-unknown-fields", true);
        } else {
          todo.add(s);
          n.put("$ref", REF + s.definition());
        }
      }
      case ARRAY -> {
        n.put("type", "array");
        n.set("items", inline(schemaOf(s.element(), todo)));
      }
      case MAP -> {
        n.put("type", "object");
        n.set("additionalProperties", inline(schemaOf(s.element(), todo)));
      }
      case QUANTITY -> n.put("$ref", REF + "io.k8s.apimachinery.pkg.api.resource.Quantity");
      case INT_OR_STRING -> n.put("$ref", REF + "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
      case TIME -> n.put("$ref", REF + "io.k8s.apimachinery.pkg.apis.meta.v1.Time");
      case ANY -> {
        n.put("type", "object");
        n.put("x-kubernetes-preserve-unknown-fields", true);
      }
      default -> {
        List<String> tf = s.openApiType();
        n.put("type", tf.get(0));
        if (!tf.get(1).isEmpty()) n.put("format", tf.get(1));
      }
    }
    return n;
  }

  /** Items and additionalProperties use allOf around a $ref too, as kube-apiserver's v3 does. */
  private static ObjectNode inline(ObjectNode n) {
    if (!n.has("$ref")) return n;
    ObjectNode w = Json.MAPPER.createObjectNode();
    w.putArray("allOf").add(n);
    w.putObject("default");
    return w;
  }

  private static ObjectNode quantity() {
    ObjectNode q = Json.MAPPER.createObjectNode();
    q.put("description", "A fixed-point number with a suffix: 100m (milli), 128Mi (binary), 1G (decimal), 1e3.");
    ArrayNode one = q.putArray("oneOf");
    one.addObject().put("type", "string");
    one.addObject().put("type", "number");
    return q;
  }

  private static ObjectNode intOrString() {
    ObjectNode q = Json.MAPPER.createObjectNode();
    q.put("description", "An int32 or a string, e.g. a port number or a port name, or 25%.");
    q.put("x-kubernetes-int-or-string", true);
    ArrayNode one = q.putArray("oneOf");
    one.addObject().put("type", "integer");
    one.addObject().put("type", "string");
    return q;
  }

  private static ObjectNode time() {
    ObjectNode q = Json.MAPPER.createObjectNode();
    q.put("description", "A time in RFC 3339 form (2026-01-01T12:00:00Z).");
    q.put("type", "string");
    q.put("format", "date-time");
    return q;
  }
}
