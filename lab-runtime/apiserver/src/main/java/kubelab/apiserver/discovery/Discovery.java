package kubelab.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.ApiResponse;
import kubelab.apiserver.http.MediaType;
import kubelab.apiserver.rest.Responder;

/**
 * API discovery, so clients learn what is served without prior knowledge:
 * <ul>
 *   <li>the classic documents: {@code /api} (APIVersions), {@code /apis} (APIGroupList),
 *       {@code /apis/GROUP} (APIGroup), {@code /api/v1} and {@code /apis/GROUP/VERSION}
 *       (APIResourceList, subresources listed as {@code pods/log});
 *   <li>aggregated discovery (apidiscovery.k8s.io/v2, and v2beta1), asked for with
 *       {@code Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList}:
 *       {@code /api} and {@code /apis} then carry every resource of every group, so kubectl
 *       1.32 discovers the whole API in two requests instead of one per group version.
 * </ul>
 * Documents are built once (the resource table is fixed) and carry an ETag; a request whose
 * If-None-Match matches gets 304, which kubectl's HTTP cache relies on.
 */
public final class Discovery {
  private final Resources resources;
  private final String serverAddress;
  private final byte[] apiVersions;
  private final byte[] apiGroupList;
  private final Map<String, byte[]> aggregatedApi;
  private final Map<String, byte[]> aggregatedApis;

  public Discovery(Resources resources, String serverAddress) {
    this.resources = resources;
    this.serverAddress = serverAddress;
    this.apiVersions = Responder.bytes(apiVersions());
    this.apiGroupList = Responder.bytes(apiGroupList());
    this.aggregatedApi = Map.of("v2", Responder.bytes(aggregated(true, "v2")),
        "v2beta1", Responder.bytes(aggregated(true, "v2beta1")));
    this.aggregatedApis = Map.of("v2", Responder.bytes(aggregated(false, "v2")),
        "v2beta1", Responder.bytes(aggregated(false, "v2beta1")));
  }

  /** Serves a discovery path; returns false if {@code path} is not one. */
  public boolean serve(ApiRequest req, ApiResponse resp, String path) throws IOException {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/api") || p.equals("/apis")) {
      String agg = aggregatedVersion(req);
      if (agg != null) {
        byte[] body = (p.equals("/api") ? aggregatedApi : aggregatedApis).get(agg);
        send(req, resp, body, "application/json;g=apidiscovery.k8s.io;v=" + agg + ";as=APIGroupDiscoveryList");
      } else {
        send(req, resp, p.equals("/api") ? apiVersions : apiGroupList, MediaType.JSON);
      }
      return true;
    }
    String[] parts = p.substring(1).split("/");
    if (parts[0].equals("api") && parts.length == 2) {
      if (!resources.groups().containsKey("") || !resources.groups().get("").contains(parts[1])) throw ApiError.noSuchPath();
      send(req, resp, Responder.bytes(resourceList("", parts[1])), MediaType.JSON);
      return true;
    }
    if (parts[0].equals("apis") && parts.length == 2) {
      List<String> versions = resources.groups().get(parts[1]);
      if (versions == null || parts[1].isEmpty()) throw ApiError.noSuchPath();
      send(req, resp, Responder.bytes(apiGroup(parts[1], versions)), MediaType.JSON);
      return true;
    }
    if (parts[0].equals("apis") && parts.length == 3) {
      List<String> versions = resources.groups().get(parts[1]);
      if (versions == null || !versions.contains(parts[2])) throw ApiError.noSuchPath();
      send(req, resp, Responder.bytes(resourceList(parts[1], parts[2])), MediaType.JSON);
      return true;
    }
    return false;
  }

  /** v2 or v2beta1 if the client asks for aggregated discovery, else null. */
  static String aggregatedVersion(ApiRequest req) {
    for (MediaType m : MediaType.parseAccept(req.header("Accept"))) {
      if ("APIGroupDiscoveryList".equals(m.as()) && "apidiscovery.k8s.io".equals(m.param("g"))) {
        String v = m.param("v");
        if ("v2".equals(v) || "v2beta1".equals(v)) return v;
      }
      if (m.as() == null && (m.matches(MediaType.JSON) || m.mime().equals("*/*"))) return null;
    }
    return null;
  }

  private static void send(ApiRequest req, ApiResponse resp, byte[] body, String contentType) throws IOException {
    String etag = "\"" + etag(body) + "\"";
    resp.header("ETag", etag);
    if (etag.equals(req.header("If-None-Match"))) {
      resp.send(304, null, new byte[0]);
      return;
    }
    resp.send(200, contentType, body);
  }

  public static String etag(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(body)).toUpperCase();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode apiVersions() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "APIVersions");
    ArrayNode v = n.putArray("versions");
    for (String ver : resources.groups().getOrDefault("", List.of())) v.add(ver);
    ObjectNode a = n.putArray("serverAddressByClientCIDRs").addObject();
    a.put("clientCIDR", "0.0.0.0/0");
    a.put("serverAddress", serverAddress);
    return n;
  }

  private ObjectNode apiGroupList() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "APIGroupList");
    n.put("apiVersion", "v1");
    ArrayNode groups = n.putArray("groups");
    for (var e : resources.groups().entrySet()) {
      if (e.getKey().isEmpty()) continue;
      groups.add(apiGroupBody(e.getKey(), e.getValue()));
    }
    return n;
  }

  private ObjectNode apiGroup(String group, List<String> versions) {
    ObjectNode n = apiGroupBody(group, versions);
    n.put("kind", "APIGroup");
    n.put("apiVersion", "v1");
    return n;
  }

  private static ObjectNode apiGroupBody(String group, List<String> versions) {
    ObjectNode g = Json.MAPPER.createObjectNode();
    g.put("name", group);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", group + "/" + v);
      gv.put("version", v);
    }
    ObjectNode pref = g.putObject("preferredVersion");
    pref.put("groupVersion", group + "/" + versions.get(0));
    pref.put("version", versions.get(0));
    return g;
  }

  private ObjectNode resourceList(String group, String version) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "APIResourceList");
    n.put("apiVersion", "v1");
    n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode rs = n.putArray("resources");
    for (ResourceType t : resources.inGroupVersion(group, version)) {
      ObjectNode r = rs.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      t.verbs().forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode cats = r.putArray("categories");
        t.categories().forEach(cats::add);
      }
      if (t.persisted()) r.put("storageVersionHash", storageVersionHash(t));
      for (ResourceType.Subresource s : t.subresources().values()) {
        ObjectNode sr = rs.addObject();
        sr.put("name", t.plural() + "/" + s.name());
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (!s.group().equals(t.group()) || !s.version().equals(t.version())) {
          sr.put("group", s.group());
          sr.put("version", s.version());
        }
        sr.put("kind", s.kind());
        ArrayNode sv = sr.putArray("verbs");
        s.verbs().forEach(sv::add);
      }
    }
    return n;
  }

  private static String storageVersionHash(ResourceType t) {
    return etag((t.apiVersion() + "/" + t.kind()).getBytes(StandardCharsets.UTF_8)).substring(0, 11);
  }

  private ObjectNode aggregated(boolean core, String version) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("kind", "APIGroupDiscoveryList");
    n.put("apiVersion", "apidiscovery.k8s.io/" + version);
    n.putObject("metadata");
    ArrayNode items = n.putArray("items");
    for (var e : resources.groups().entrySet()) {
      String group = e.getKey();
      if (core != group.isEmpty()) continue;
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      if (!group.isEmpty()) meta.put("name", group);
      meta.putNull("creationTimestamp");
      ArrayNode versions = item.putArray("versions");
      for (String v : e.getValue()) {
        ObjectNode gv = versions.addObject();
        gv.put("version", v);
        ArrayNode rs = gv.putArray("resources");
        for (ResourceType t : resources.inGroupVersion(group, v)) {
          ObjectNode r = rs.addObject();
          r.put("resource", t.plural());
          ObjectNode rk = r.putObject("responseKind");
          rk.put("group", t.group());
          rk.put("version", t.version());
          rk.put("kind", t.kind());
          r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
          r.put("singularResource", t.singular());
          ArrayNode verbs = r.putArray("verbs");
          t.verbs().forEach(verbs::add);
          if (!t.shortNames().isEmpty()) {
            ArrayNode sn = r.putArray("shortNames");
            t.shortNames().forEach(sn::add);
          }
          if (!t.categories().isEmpty()) {
            ArrayNode cats = r.putArray("categories");
            t.categories().forEach(cats::add);
          }
          if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (ResourceType.Subresource s : t.subresources().values()) {
              ObjectNode sr = subs.addObject();
              sr.put("subresource", s.name());
              ObjectNode srk = sr.putObject("responseKind");
              srk.put("group", s.group());
              srk.put("version", s.version());
              srk.put("kind", s.kind());
              ArrayNode sv = sr.putArray("verbs");
              s.verbs().forEach(sv::add);
            }
          }
        }
        gv.put("freshness", "Current");
      }
    }
    return n;
  }
}
