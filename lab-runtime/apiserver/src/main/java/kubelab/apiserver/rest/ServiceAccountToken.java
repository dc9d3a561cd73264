package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.FieldPath;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.auth.ServiceAccountTokens;
import kubelab.apiserver.registry.Stored;

/**
 * {@code POST serviceaccounts/NAME/token}: a TokenRequest (authentication.k8s.io/v1), what
 * {@code kubectl create token} and the kubelet's projected service account volumes use
 * (Kubernetes 1.32's TokenREST). Audiences default to the API server's; the lifetime defaults to
 * one hour and must be at least ten minutes; a {@code boundObjectRef} to a Pod binds the token to
 * that pod (it stops working when the pod is gone).
 */
public final class ServiceAccountToken {
  static final long DEFAULT_SECONDS = 3600;
  static final long MIN_SECONDS = 600;
  static final long MAX_SECONDS = 1L << 32;

  private final RestContext ctx;
  private final ServiceAccountTokens tokens;

  public ServiceAccountToken(RestContext ctx, ServiceAccountTokens tokens) {
    this.ctx = ctx;
    this.tokens = tokens;
  }

  public void create(Call c) throws IOException {
    if (tokens == null) throw ApiError.methodNotAllowed();
    ObjectNode body = BodyDecoder.decode(c.req().body(), c.req().contentType()).object();
    String kind = body.path("kind").asText("TokenRequest");
    if (!kind.equals("TokenRequest")) throw ApiError.badRequest("the kind of the body (" + kind + ") is not TokenRequest");
    JsonNode spec = body.path("spec");
    List<String> audiences = new ArrayList<>();
    for (JsonNode a : spec.path("audiences")) audiences.add(a.asText());
    if (audiences.isEmpty()) audiences.addAll(ServiceAccountTokens.API_AUDIENCES);
    long seconds = spec.path("expirationSeconds").asLong(DEFAULT_SECONDS);
    List<FieldError> errs = new ArrayList<>();
    if (seconds < MIN_SECONDS) {
      errs.add(FieldError.invalid(FieldPath.of("spec", "expirationSeconds"), seconds, "may not specify a duration less than 10 minutes"));
    } else if (seconds > MAX_SECONDS) {
      errs.add(FieldError.invalid(FieldPath.of("spec", "expirationSeconds"), seconds, "may not specify a duration larger than 2^32 seconds"));
    }
    if (!errs.isEmpty()) throw ApiError.invalid("TokenRequest", "authentication.k8s.io", c.name(), errs);
    ResourceType sas = c.type();
    Stored sa = ctx.store.get(sas, c.namespace(), c.name()).orElseThrow(() -> ApiError.notFound(sas, c.name()));
    String saUid = sa.object().path("metadata").path("uid").asText();
    String[] pod = null;
    JsonNode ref = spec.path("boundObjectRef");
    if (ref.isObject()) {
      String refKind = ref.path("kind").asText();
      if (!refKind.equals("Pod")) {
        throw ApiError.badRequest("cannot bind token for serviceaccount \"" + c.name() + "\" to object of kind " + refKind
            + " (this API server binds tokens to Pods)");
      }
      ResourceType pods = ctx.resources.find("", "v1", "pods").orElseThrow();
      String podName = ref.path("name").asText();
      Stored p = ctx.store.get(pods, c.namespace(), podName).orElseThrow(() -> ApiError.notFound(pods, podName));
      String uid = p.object().path("metadata").path("uid").asText();
      String want = ref.path("uid").asText("");
      if (!want.isEmpty() && !want.equals(uid)) {
        throw ApiError.conflict(pods, podName, "the UID in the bound object reference (" + want + ") does not match the UID in "
            + "record. The object might have been deleted and then recreated");
      }
      pod = new String[] {podName, uid};
    }
    String token = tokens.issue(c.namespace(), c.name(), saUid, audiences, seconds, pod);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("kind", "TokenRequest");
    out.put("apiVersion", "authentication.k8s.io/v1");
    ObjectNode meta = out.putObject("metadata");
    meta.put("name", c.name());
    meta.put("namespace", c.namespace());
    meta.put("creationTimestamp", ctx.timestamp());
    ObjectNode outSpec = out.putObject("spec");
    outSpec.putArray("audiences").addAll(audiences.stream().map(a -> Json.MAPPER.getNodeFactory().textNode(a)).toList());
    outSpec.put("expirationSeconds", seconds);
    if (ref.isObject()) outSpec.set("boundObjectRef", ref.deepCopy());
    ObjectNode status = out.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", tokens.expiry(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    Responder.json(c.resp(), 201, out);
  }
}
