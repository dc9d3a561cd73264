package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import kubelab.api.Json;
import kubelab.apiserver.ApiError;

/**
 * The {@code continue} token of a paginated list, in Kubernetes' format (storage/continue.go):
 * base64url of {@code {"v":"meta.k8s.io/v1","rv":REVISION,"start":"KEY-AFTER-PREFIX"}}. The
 * revision pins every page to the snapshot of the first one; the start key says where the next
 * page begins (the last key returned plus a NUL byte).
 */
public record ContinueToken(long revision, String start) {

  public String encode() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("v", "meta.k8s.io/v1");
    n.put("rv", revision);
    n.put("start", start);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** @throws ApiError 400 {@code continue key is not valid: ...} */
  public static ContinueToken decode(String token) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(token.replace("=", ""));
      JsonNode n = Json.MAPPER.readTree(raw);
      if (n == null || !"meta.k8s.io/v1".equals(n.path("v").asText())) {
        throw ApiError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
      long rv = n.path("rv").asLong(0);
      String start = n.path("start").asText("");
      if (rv <= 0 || start.isEmpty() || start.contains("..") || start.startsWith("/")) {
        throw ApiError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
      }
      return new ContinueToken(rv, start);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw ApiError.badRequest("continue key is not valid: " + e.getMessage());
    }
  }
}
