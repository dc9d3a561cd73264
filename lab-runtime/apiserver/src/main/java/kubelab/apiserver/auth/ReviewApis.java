package kubelab.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.Json;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.rest.BodyDecoder;
import kubelab.apiserver.rest.Call;
import kubelab.apiserver.rest.ResourceRouter.VirtualCreate;
import kubelab.apiserver.rest.Responder;

/**
 * The review resources: created, answered and never stored.
 * <ul>
 *   <li>SelfSubjectAccessReview ({@code kubectl auth can-i}): may I do this?
 *   <li>SubjectAccessReview, LocalSubjectAccessReview: may that user do this?
 *   <li>SelfSubjectRulesReview ({@code kubectl auth can-i --list}): what may I do here?
 *   <li>SelfSubjectReview ({@code kubectl auth whoami}): who am I?
 *   <li>TokenReview: whose token is this?
 * </ul>
 */
public final class ReviewApis {
  private final Rbac rbac;
  private final Authenticator authn;

  public ReviewApis(Rbac rbac, Authenticator authn) {
    this.rbac = rbac;
    this.authn = authn;
  }

  public Map<String, VirtualCreate> handlers() {
    Map<String, VirtualCreate> m = new HashMap<>();
    m.put("authorization.k8s.io/selfsubjectaccessreviews", c -> access(c, c.user()));
    m.put("authorization.k8s.io/subjectaccessreviews", c -> access(c, null));
    m.put("authorization.k8s.io/localsubjectaccessreviews", c -> access(c, null));
    m.put("authorization.k8s.io/selfsubjectrulesreviews", this::rules);
    m.put("authentication.k8s.io/selfsubjectreviews", this::whoami);
    m.put("authentication.k8s.io/tokenreviews", this::tokenReview);
    return m;
  }

  private static ObjectNode body(Call c, String kind) {
    ObjectNode o = BodyDecoder.decode(c.req().body(), c.req().contentType()).object();
    String k = o.path("kind").asText(kind);
    if (!k.equals(kind)) throw ApiError.badRequest("the kind of the body (" + k + ") is not " + kind);
    o.put("kind", kind);
    o.put("apiVersion", c.type().apiVersion());
    if (!o.path("metadata").isObject()) o.putObject("metadata");
    ((ObjectNode) o.get("metadata")).putNull("creationTimestamp");
    return o;
  }

  private void access(Call c, UserInfo self) throws IOException {
    ObjectNode o = body(c, c.type().kind());
    JsonNode spec = o.path("spec");
    UserInfo u = self;
    if (u == null) {
      List<String> groups = new java.util.ArrayList<>();
      for (JsonNode g : spec.path("groups")) groups.add(g.asText());
      u = new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups, Map.of());
    }
    JsonNode ra = spec.path("resourceAttributes");
    JsonNode na = spec.path("nonResourceAttributes");
    Attributes a;
    if (ra.isObject()) {
      String ns = ra.path("namespace").asText("");
      if (c.type().plural().equals("localsubjectaccessreviews")) {
        if (!ns.isEmpty() && !ns.equals(c.namespace())) {
          throw ApiError.badRequest("spec.resourceAttributes.namespace must match the namespace of the request");
        }
        ns = c.namespace();
      }
      a = Attributes.resource(u, ra.path("verb").asText(""), ns, ra.path("group").asText(""),
          ra.path("resource").asText(""), ra.path("subresource").asText(""), ra.path("name").asText(""));
    } else if (na.isObject()) {
      a = Attributes.nonResource(u, na.path("verb").asText(""), na.path("path").asText(""));
    } else {
      throw ApiError.invalid(c.type().kind(), c.type().group(), "", List.of(kubelab.api.validation.FieldError.invalid(
          kubelab.api.validation.FieldPath.of("spec", "resourceAttributes"), "null",
          "exactly one of nonResourceAttributes or resourceAttributes must be specified")));
    }
    boolean allowed = rbac.allows(a);
    ObjectNode status = o.putObject("status");
    status.put("allowed", allowed);
    if (allowed) status.put("reason", reason(u));
    Responder.json(c.resp(), 201, o);
  }

  private static String reason(UserInfo u) {
    if (u.inGroup(UserInfo.MASTERS)) return "allowed by the system:masters group";
    return "RBAC: allowed by a binding of " + u.name();
  }

  private void rules(Call c) throws IOException {
    ObjectNode o = body(c, "SelfSubjectRulesReview");
    String ns = o.path("spec").path("namespace").asText("");
    ObjectNode status = o.putObject("status");
    ArrayNode rr = status.putArray("resourceRules");
    ArrayNode nr = status.putArray("nonResourceRules");
    if (c.user().inGroup(UserInfo.MASTERS)) {
      ObjectNode all = rr.addObject();
      all.putArray("verbs").add("*");
      all.putArray("apiGroups").add("*");
      all.putArray("resources").add("*");
      ObjectNode nall = nr.addObject();
      nall.putArray("verbs").add("*");
      nall.putArray("nonResourceURLs").add("*");
    }
    for (JsonNode rule : rbac.rulesFor(c.user(), ns)) {
      if (rule.has("nonResourceURLs") && rule.path("nonResourceURLs").size() > 0) {
        ObjectNode n = nr.addObject();
        n.set("verbs", rule.path("verbs").deepCopy());
        n.set("nonResourceURLs", rule.path("nonResourceURLs").deepCopy());
      } else {
        ObjectNode r = rr.addObject();
        r.set("verbs", rule.path("verbs").deepCopy());
        if (rule.has("apiGroups")) r.set("apiGroups", rule.path("apiGroups").deepCopy());
        if (rule.has("resources")) r.set("resources", rule.path("resources").deepCopy());
        if (rule.has("resourceNames")) r.set("resourceNames", rule.path("resourceNames").deepCopy());
      }
    }
    status.put("incomplete", false);
    Responder.json(c.resp(), 201, o);
  }

  private void whoami(Call c) throws IOException {
    ObjectNode o = body(c, "SelfSubjectReview");
    ObjectNode ui = o.putObject("status").putObject("userInfo");
    fillUser(ui, c.user());
    Responder.json(c.resp(), 201, o);
  }

  private void tokenReview(Call c) throws IOException {
    ObjectNode o = body(c, "TokenReview");
    String token = o.path("spec").path("token").asText("");
    ObjectNode status = o.putObject("status");
    UserInfo u = authn.verifyToken(token);
    if (u == null) {
      status.put("authenticated", false);
      status.put("error", "invalid bearer token");
    } else {
      status.put("authenticated", true);
      fillUser(status.putObject("user"), u);
    }
    Responder.json(c.resp(), 201, o);
  }

  private static void fillUser(ObjectNode ui, UserInfo u) {
    ui.put("username", u.name());
    if (!u.uid().isEmpty()) ui.put("uid", u.uid());
    ArrayNode g = ui.putArray("groups");
    u.groups().forEach(g::add);
    if (!u.extra().isEmpty()) ui.set("extra", Json.tree(u.extra()));
  }
}
