package kubelab.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kubelab.api.Json;

/**
 * Service account tokens as kube-apiserver issues them for {@code TokenRequest} ({@code kubectl
 * create token}, the kubelet's projected volumes): JWTs signed with the service account key
 * ({@code sa.key} in kubeadm's PKI), RS256 for an RSA key and ES256 for a P-256 key, with the
 * claims of Kubernetes 1.32:
 * <pre>
 *   iss https://kubernetes.default.svc.cluster.local   sub system:serviceaccount:NS:NAME
 *   aud [https://kubernetes.default.svc.cluster.local]  exp, iat, nbf, jti
 *   kubernetes.io: {namespace, serviceaccount: {name, uid}, pod: {name, uid}?}
 * </pre>
 * A presented token is valid while its signature, issuer, audience and time window check out and
 * its service account (and bound pod) still exist with the same uid; the user is then
 * {@code system:serviceaccount:NS:NAME} in groups {@code system:serviceaccounts} and {@code
 * system:serviceaccounts:NS}. Thread-safe.
 */
public final class ServiceAccountTokens implements Authenticator.TokenVerifier {
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  /** kube-apiserver's default --api-audiences: the issuer. */
  public static final List<String> API_AUDIENCES = List.of(ISSUER);

  /** Looks up live objects: the uid of a service account or pod, empty if it is gone. */
  public interface Lookup {
    Optional<String> uid(String resource, String namespace, String name);
  }

  private final KeyPair key;
  private final String alg;
  private final String keyId;
  private final Clock clock;
  private final Lookup lookup;

  public ServiceAccountTokens(KeyPair key, Clock clock, Lookup lookup) {
    this.key = key;
    this.alg = key.getPrivate() instanceof ECPrivateKey ? "ES256" : "RS256";
    this.keyId = keyId(key.getPublic());
    this.clock = clock;
    this.lookup = lookup;
  }

  /** kube-apiserver's key id: the unpadded base64url SHA-256 of the DER public key. */
  static String keyId(PublicKey pub) {
    try {
      return b64(MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signed token for the service account; {@code pod} (name, uid) binds it to a pod, or null. */
  public String issue(String namespace, String name, String saUid, List<String> audiences, long expirationSeconds,
      String[] pod) {
    long now = clock.instant().getEpochSecond();
    ObjectNode claims = Json.MAPPER.createObjectNode();
    claims.putArray("aud").addAll(audiences.stream().map(a -> Json.MAPPER.getNodeFactory().textNode(a)).toList());
    claims.put("exp", now + expirationSeconds);
    claims.put("iat", now);
    claims.put("iss", ISSUER);
    claims.put("jti", UUID.randomUUID().toString());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", namespace);
    if (pod != null) k8s.putObject("pod").put("name", pod[0]).put("uid", pod[1]);
    k8s.putObject("serviceaccount").put("name", name).put("uid", saUid);
    claims.put("nbf", now);
    claims.put("sub", "system:serviceaccount:" + namespace + ":" + name);
    ObjectNode header = Json.MAPPER.createObjectNode();
    header.put("alg", alg);
    header.put("kid", keyId);
    String signingInput = b64(json(header)) + "." + b64(json(claims));
    return signingInput + "." + b64(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public UserInfo verify(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return null;
    try {
      JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
      if (!alg.equals(header.path("alg").asText())) return null;
      if (!verifySignature((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), Base64.getUrlDecoder().decode(parts[2]))) {
        return null;
      }
      JsonNode c = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!ISSUER.equals(c.path("iss").asText())) return null;
      long now = clock.instant().getEpochSecond();
      if (c.path("exp").asLong(0) <= now || c.path("nbf").asLong(0) > now + 60) return null; // 60 s of clock skew
      boolean audienceOk = false;
      for (JsonNode a : c.path("aud")) audienceOk |= API_AUDIENCES.contains(a.asText());
      if (!audienceOk) return null;
      JsonNode k8s = c.path("kubernetes.io");
      String ns = k8s.path("namespace").asText();
      String sa = k8s.path("serviceaccount").path("name").asText();
      String saUid = k8s.path("serviceaccount").path("uid").asText();
      if (!c.path("sub").asText().equals("system:serviceaccount:" + ns + ":" + sa)) return null;
      if (!lookup.uid("serviceaccounts", ns, sa).map(saUid::equals).orElse(false)) return null;
      JsonNode pod = k8s.path("pod");
      if (pod.isObject() && !lookup.uid("pods", ns, pod.path("name").asText()).map(pod.path("uid").asText()::equals).orElse(false)) {
        return null;
      }
      List<String> groups = new ArrayList<>(List.of("system:serviceaccounts", "system:serviceaccounts:" + ns));
      Map<String, List<String>> extra = new java.util.TreeMap<>();
      extra.put("authentication.kubernetes.io/credential-id", List.of("JTI=" + c.path("jti").asText()));
      if (pod.isObject()) {
        extra.put("authentication.kubernetes.io/pod-name", List.of(pod.path("name").asText()));
        extra.put("authentication.kubernetes.io/pod-uid", List.of(pod.path("uid").asText()));
      }
      return new UserInfo("system:serviceaccount:" + ns + ":" + sa, saUid, groups, extra);
    } catch (Exception e) {
      return null;
    }
  }

  /** The expiry of a token issued now for {@code seconds}. */
  public Instant expiry(long seconds) {
    return clock.instant().plusSeconds(seconds);
  }

  private byte[] sign(byte[] input) {
    try {
      Signature s = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      s.initSign(key.getPrivate());
      s.update(input);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign a token: " + e, e);
    }
  }

  private boolean verifySignature(byte[] input, byte[] sig) throws Exception {
    Signature s = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
    s.initVerify(key.getPublic());
    s.update(input);
    return s.verify(sig);
  }

  private static byte[] json(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
