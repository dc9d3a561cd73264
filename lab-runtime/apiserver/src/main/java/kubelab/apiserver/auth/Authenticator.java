package kubelab.apiserver.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.http.ApiRequest;

/**
 * Authentication: who sent a request. Tried in kube-apiserver's order:
 * <ol>
 *   <li>an x509 client certificate (already verified against the cluster CA by TLS): the
 *       subject's CN is the user, each O is a group;
 *   <li>a bearer token ({@code Authorization: Bearer ...}): a static token (like
 *       {@code --token-auth-file}) or a ServiceAccount token ({@link TokenVerifier});
 *   <li>otherwise anonymous ({@code system:anonymous}), which RBAC then mostly refuses.
 * </ol>
 * A bearer token that is present but unknown is 401 Unauthorized, not anonymous: a client that
 * tried to authenticate must learn that it failed. Thread-safe.
 */
public final class Authenticator {
  /** Verifies tokens that are not static (ServiceAccount JWTs). */
  public interface TokenVerifier {
    /** The user of a valid token, or null if this verifier does not accept it. */
    UserInfo verify(String token);
  }

  private final Map<String, UserInfo> staticTokens = new ConcurrentHashMap<>();
  private final List<TokenVerifier> verifiers = new ArrayList<>();
  private final boolean anonymous;

  public Authenticator(boolean anonymousEnabled) {
    this.anonymous = anonymousEnabled;
  }

  /** Accepts {@code token} as {@code user} (the user gets system:authenticated added). */
  public Authenticator addToken(String token, String user, List<String> groups) {
    staticTokens.put(token, withAuthenticated(new UserInfo(user, user, List.copyOf(groups), Map.of())));
    return this;
  }

  public Authenticator addVerifier(TokenVerifier v) {
    verifiers.add(v);
    return this;
  }

  /** @throws ApiError 401 for a bad bearer token, or when anonymous requests are disabled */
  public UserInfo authenticate(ApiRequest r) {
    X509Certificate[] certs = r.peerCertificates();
    if (certs.length > 0) {
      UserInfo u = fromCertificate(certs[0]);
      if (u != null) return u;
    }
    String auth = r.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).trim();
      UserInfo u = staticTokens.get(token);
      if (u != null) return u;
      for (TokenVerifier v : verifiers) {
        u = v.verify(token);
        if (u != null) return withAuthenticated(u);
      }
      throw ApiError.unauthorized();
    }
    if (auth != null && !auth.isBlank()) throw ApiError.unauthorized();
    if (!anonymous) throw ApiError.unauthorized();
    return UserInfo.ANONYMOUS_USER;
  }

  /** The user of a bearer token (static or verified), or null (TokenReview). */
  public UserInfo verifyToken(String token) {
    UserInfo u = staticTokens.get(token);
    if (u != null) return u;
    for (TokenVerifier v : verifiers) {
      u = v.verify(token);
      if (u != null) return withAuthenticated(u);
    }
    return null;
  }

  /** CN = user, O = groups (kube-apiserver's x509 authenticator). */
  public static UserInfo fromCertificate(X509Certificate c) {
    try {
      LdapName dn = new LdapName(c.getSubjectX500Principal().getName());
      String cn = null;
      List<String> groups = new ArrayList<>();
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) cn = rdn.getValue().toString();
        if (rdn.getType().equalsIgnoreCase("O")) groups.add(0, rdn.getValue().toString());
      }
      if (cn == null || cn.isEmpty()) return null;
      return withAuthenticated(new UserInfo(cn, "", groups, Map.of()));
    } catch (InvalidNameException e) {
      return null;
    }
  }

  static UserInfo withAuthenticated(UserInfo u) {
    if (u.groups().contains(UserInfo.AUTHENTICATED)) return u;
    List<String> g = new ArrayList<>(u.groups());
    g.add(UserInfo.AUTHENTICATED);
    return new UserInfo(u.name(), u.uid(), List.copyOf(g), u.extra());
  }
}
