package kubelab.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.auth.Attributes;
import kubelab.apiserver.auth.Authenticator;
import kubelab.apiserver.auth.Impersonation;
import kubelab.apiserver.auth.Rbac;
import kubelab.apiserver.auth.UserInfo;
import kubelab.apiserver.discovery.Discovery;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.ApiResponse;
import kubelab.apiserver.http.JettyAdapter;
import kubelab.apiserver.http.RequestInfo;
import kubelab.apiserver.openapi.OpenApi;
import kubelab.apiserver.rest.Call;
import kubelab.apiserver.rest.ResourceRouter;
import kubelab.apiserver.rest.Responder;

/**
 * Every request's way through the API server, in kube-apiserver's filter order:
 * <ol>
 *   <li>authentication (client certificate, bearer token, else anonymous): 401 on a bad token;
 *   <li>impersonation ({@code --as}): 403 unless allowed;
 *   <li>request info (verb, resource, namespace, name, subresource from method and URL);
 *   <li>authorization (RBAC): 403 {@code User "x" cannot list resource "pods" ...};
 *   <li>the handler: health and version, discovery, OpenAPI, or a resource verb.
 * </ol>
 * Every failure is answered as a Status object; an unexpected exception is a 500 InternalError
 * and is logged, because it is a bug.
 */
final class ApiHandler implements JettyAdapter.Endpoint {
  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

  private final Resources resources;
  private final Authenticator authn;
  private final Rbac rbac;
  private final Discovery discovery;
  private final OpenApi openapi;
  private final ResourceRouter router;
  private final ObjectNode version;
  private final java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> status;

  ApiHandler(Resources resources, Authenticator authn, Rbac rbac, Discovery discovery, OpenApi openapi,
      ResourceRouter router, java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> status) {
    this.status = status;
    this.resources = resources;
    this.authn = authn;
    this.rbac = rbac;
    this.discovery = discovery;
    this.openapi = openapi;
    this.router = router;
    this.version = versionInfo();
  }

  /** Authenticates, impersonates and parses a request (the part WebSocket upgrades share). */
  record Identified(UserInfo user, RequestInfo info) {}

  Identified identify(ApiRequest req) {
    UserInfo user = authn.authenticate(req);
    user = Impersonation.apply(req, user, rbac);
    RequestInfo info = RequestInfo.parse(req.method(), req.path(), req.param("watch"));
    return new Identified(user, info);
  }

  void authorize(Identified id) {
    RequestInfo info = id.info();
    if (!info.resourceRequest()) {
      Attributes a = Attributes.nonResource(id.user(), info.verb(), info.path());
      if (!rbac.allows(a)) throw new ApiError(403, ApiError.FORBIDDEN, "forbidden: " + a.forbiddenMessage(), null);
      return;
    }
    Attributes a = Attributes.resource(id.user(), info.verb(), info.namespace(), info.group(), info.resource(),
        info.subresource(), info.name());
    if (!rbac.allows(a)) {
      String gr = info.group().isEmpty() ? info.resourceWithSub() : info.resourceWithSub() + "." + info.group();
      if (!info.subresource().isEmpty()) gr = info.group().isEmpty() ? info.resource() + "/" + info.subresource()
          : info.resource() + "." + info.group() + "/" + info.subresource();
      throw ApiError.forbidden(gr, info.group(), info.resource(), info.name(), a.forbiddenMessage());
    }
  }

  /** The resource type a request addresses, or 404. */
  ResourceType typeOf(RequestInfo info) {
    ResourceType t = resources.find(info.group(), info.version(), info.resource()).orElseThrow(ApiError::noSuchPath);
    if (!t.namespaced() && !info.namespace().isEmpty()) throw ApiError.noSuchPath();
    return t;
  }

  @Override
  public void serve(ApiRequest req, ApiResponse resp) throws IOException {
    try {
      Identified id = identify(req);
      authorize(id);
      RequestInfo info = id.info();
      if (!info.resourceRequest()) {
        serveNonResource(req, resp, info);
        return;
      }
      ResourceType t = typeOf(info);
      if (t.namespaced() && t.persisted() && info.namespace().isEmpty()
          && !(info.verb().equals("list") || info.verb().equals("watch"))) {
        throw ApiError.noSuchPath(); // a namespaced object needs its namespace in the URL
      }
      router.serve(new Call(req, resp, info, t, id.user()));
    } catch (ApiError e) {
      if (!resp.committed()) Responder.error(resp, e);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "internal error serving " + req.method() + " " + req.path(), e);
      if (!resp.committed()) Responder.error(resp, ApiError.internal(String.valueOf(e)));
    }
  }

  private void serveNonResource(ApiRequest req, ApiResponse resp, RequestInfo info) throws IOException {
    String p = req.path();
    if (!req.method().equals("GET") && !req.method().equals("HEAD")) throw ApiError.methodNotAllowed();
    switch (p) {
      case "/version", "/version/" -> {
        Responder.json(resp, 200, version);
        return;
      }
      case "/healthz", "/livez", "/readyz" -> {
        String body = "true".equals(req.param("verbose")) || req.param("verbose") != null
            ? "[+]ping ok\n[+]etcd ok\n[+]poststarthook/rbac/bootstrap-roles ok\n" + p.substring(1) + " check passed\n"
            : "ok";
        resp.send(200, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        return;
      }
      case "/" -> {
        ObjectNode paths = Json.MAPPER.createObjectNode();
        var arr = paths.putArray("paths");
        for (String s : new String[] {"/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v3", "/readyz", "/version"}) arr.add(s);
        Responder.json(resp, 200, paths);
        return;
      }
      default -> { }
    }
    if (p.equals("/kubelab/status") && status != null) {
      Responder.json(resp, 200, status.get());
      return;
    }
    if (p.startsWith("/openapi/")) {
      if (openapi.serve(req, resp, p)) return;
      throw ApiError.noSuchPath();
    }
    if (discovery.serve(req, resp, p)) return;
    throw ApiError.noSuchPath();
  }

  private static ObjectNode versionInfo() {
    ObjectNode v = Json.MAPPER.createObjectNode();
    String gv = Params.KUBERNETES_VERSION;
    String[] mm = gv.substring(1).split("\\.");
    v.put("major", mm[0]);
    v.put("minor", mm[1]);
    v.put("gitVersion", gv + "+kubelab");
    v.put("gitCommit", "kubelab");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "javac");
    v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + arch());
    return v;
  }

  private static String arch() {
    String a = System.getProperty("os.arch");
    return a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
  }

}
