package kubelab.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.ApiResponse;
import kubelab.apiserver.http.MediaType;
import kubelab.apiserver.registry.Stored;
import kubelab.apiserver.table.TableConvertor;
import kubelab.apiserver.table.Tables;

/**
 * Writes answers in the representation the client asked for with its Accept header:
 * <ul>
 *   <li>the object itself as JSON (default) or YAML;
 *   <li>{@code as=Table;g=meta.k8s.io;v=v1} (or v1beta1): server-side printing, the columns
 *       {@code kubectl get} shows, computed here so kubectl needs no knowledge of the kind;
 *   <li>{@code as=PartialObjectMetadata} / {@code PartialObjectMetadataList}: metadata only.
 * </ul>
 * Protobuf is not offered; a client that accepts only protobuf gets 406. Stateless, thread-safe.
 */
public final class Responder {
  private Responder() {}

  /** What the client wants back. */
  public enum Shape { OBJECT, TABLE, METADATA }

  /** The chosen representation: shape, media type and table API version. */
  public record Choice(Shape shape, boolean yaml, String tableVersion) {
    public String contentType() {
      if (shape == Shape.TABLE) return "application/json;as=Table;v=" + tableVersion + ";g=meta.k8s.io";
      if (shape == Shape.METADATA) return "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
      return yaml ? MediaType.YAML : MediaType.JSON;
    }
  }

  public static Choice negotiate(ApiRequest r) {
    for (MediaType m : MediaType.parseAccept(r.header("Accept"))) {
      String as = m.as();
      if (as != null) {
        if (!"meta.k8s.io".equals(m.param("g")) || !m.matches(MediaType.JSON)) continue;
        String v = m.param("v");
        if (!"v1".equals(v) && !"v1beta1".equals(v)) continue;
        if (as.equals("Table")) return new Choice(Shape.TABLE, false, v);
        if (as.startsWith("PartialObjectMetadata")) return new Choice(Shape.METADATA, false, v);
        continue;
      }
      if (m.matches(MediaType.JSON) || m.mime().equals("*/*") || m.mime().equals("application/*")) {
        return new Choice(Shape.OBJECT, false, null);
      }
      if (m.mime().equals(MediaType.YAML)) return new Choice(Shape.OBJECT, true, null);
    }
    throw ApiError.notAcceptable("only the following media types are accepted: application/json, application/yaml");
  }

  public static void json(ApiResponse resp, int status, JsonNode body) throws IOException {
    resp.send(status, MediaType.JSON, bytes(body));
  }

  public static void error(ApiResponse resp, ApiError e) throws IOException {
    resp.send(e.code(), MediaType.JSON, bytes(e.toStatus()));
  }

  /** One object (get, create, update, patch, delete answers). */
  public static void object(ApiRequest req, ApiResponse resp, int status, ResourceType t, ObjectNode obj,
      Instant now) throws IOException {
    Choice c = negotiate(req);
    switch (c.shape()) {
      case TABLE -> resp.send(status, c.contentType(), bytes(table(t, List.of(obj), c.tableVersion(),
          obj.path("metadata").path("resourceVersion").asText(""), null, req, now, true)));
      case METADATA -> resp.send(status, c.contentType(), bytes(partial(obj)));
      default -> resp.send(status, c.contentType(), c.yaml() ? yaml(obj) : bytes(obj));
    }
  }

  /** One object as read from the store (a get): plain JSON is served from the stored bytes. */
  public static void stored(ApiRequest req, ApiResponse resp, ResourceType t, Stored s, Instant now) throws IOException {
    Choice c = negotiate(req);
    if (c.shape() == Shape.OBJECT && !c.yaml()) {
      resp.send(200, c.contentType(), s.json());
      return;
    }
    object(req, resp, 200, t, s.object(), now);
  }

  /** A list page. */
  public static void list(ApiRequest req, ApiResponse resp, ResourceType t, List<Stored> items, long revision,
      String continueToken, Long remaining, Instant now) throws IOException {
    Choice c = negotiate(req);
    if (c.shape() == Shape.OBJECT && !c.yaml()) {
      // Plain JSON (clients, informers): the items' stored bytes, not decoded and re-encoded.
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + items.size() * 1024);
      ObjectNode meta = Json.MAPPER.createObjectNode();
      meta.put("resourceVersion", Long.toString(revision));
      if (continueToken != null) meta.put("continue", continueToken);
      if (remaining != null) meta.put("remainingItemCount", remaining);
      out.writeBytes(("{\"kind\":\"" + t.listKind() + "\",\"apiVersion\":\"" + t.apiVersion() + "\",\"metadata\":")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.writeBytes(bytes(meta));
      out.writeBytes(",\"items\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) out.write(',');
        out.writeBytes(items.get(i).json());
      }
      out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      resp.send(200, c.contentType(), out.toByteArray());
      return;
    }
    List<ObjectNode> objs = items.stream().map(Stored::object).toList();
    if (c.shape() == Shape.TABLE) {
      ObjectNode tbl = table(t, objs, c.tableVersion(), Long.toString(revision), continueToken, req, now, true);
      if (remaining != null) ((ObjectNode) tbl.get("metadata")).put("remainingItemCount", remaining);
      resp.send(200, c.contentType(), bytes(tbl));
      return;
    }
    ObjectNode list = Json.MAPPER.createObjectNode();
    if (c.shape() == Shape.METADATA) {
      list.put("kind", "PartialObjectMetadataList");
      list.put("apiVersion", "meta.k8s.io/" + c.tableVersion());
    } else {
      list.put("kind", t.listKind());
      list.put("apiVersion", t.apiVersion());
    }
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", Long.toString(revision));
    if (continueToken != null) meta.put("continue", continueToken);
    if (remaining != null) meta.put("remainingItemCount", remaining);
    ArrayNode arr = list.putArray("items");
    for (ObjectNode o : objs) arr.add(c.shape() == Shape.METADATA ? partial(o) : o);
    String ct = c.shape() == Shape.METADATA
        ? "application/json;as=PartialObjectMetadataList;v=" + c.tableVersion() + ";g=meta.k8s.io"
        : c.contentType();
    resp.send(200, ct, c.yaml() ? yaml(list) : bytes(list));
  }

  /** Builds a meta.k8s.io Table of objects with the kind's columns. */
  public static ObjectNode table(ResourceType t, List<ObjectNode> objs, String version, String rv,
      String continueToken, ApiRequest req, Instant now, boolean withColumns) {
    TableConvertor conv = Tables.forType(t);
    ObjectNode tbl = Json.MAPPER.createObjectNode();
    tbl.put("kind", "Table");
    tbl.put("apiVersion", "meta.k8s.io/" + (version == null ? "v1" : version));
    ObjectNode meta = tbl.putObject("metadata");
    meta.put("resourceVersion", rv);
    if (continueToken != null) meta.put("continue", continueToken);
    boolean noHeaders = req != null && "true".equals(req.param("noHeaders"));
    if (withColumns && !noHeaders) tbl.set("columnDefinitions", conv.columnDefinitions());
    String include = req == null ? null : req.param("includeObject");
    ArrayNode rows = tbl.putArray("rows");
    for (ObjectNode o : objs) {
      ObjectNode row = rows.addObject();
      row.set("cells", conv.cells(o, now));
      if ("Object".equals(include)) row.set("object", o);
      else if (!"None".equals(include)) row.set("object", partial(o));
    }
    return tbl;
  }

  /** {@code PartialObjectMetadata}: the object's metadata under meta.k8s.io/v1. */
  public static ObjectNode partial(ObjectNode obj) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("kind", "PartialObjectMetadata");
    p.put("apiVersion", "meta.k8s.io/v1");
    p.set("metadata", obj.path("metadata").deepCopy());
    return p;
  }

  public static byte[] bytes(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw ApiError.internal(e.getOriginalMessage());
    }
  }

  private static byte[] yaml(JsonNode n) {
    try {
      return Json.YAML.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw ApiError.internal(e.getOriginalMessage());
    }
  }
}
