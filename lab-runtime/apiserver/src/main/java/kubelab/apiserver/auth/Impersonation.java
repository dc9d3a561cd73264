package kubelab.apiserver.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.http.ApiRequest;

/**
 * Impersonation ({@code kubectl --as=USER --as-group=GROUP}): the Impersonate-User,
 * Impersonate-Group and Impersonate-Uid headers make a request act as another user, if the real
 * user may {@code impersonate} that user (resource users, or serviceaccounts for
 * {@code system:serviceaccount:NS:NAME}), each group (resource groups) and the uid (resource
 * uids in authentication.k8s.io). As in Kubernetes 1.32, the impersonated user is in
 * system:authenticated, and a ServiceAccount in its two ServiceAccount groups.
 */
public final class Impersonation {
  private Impersonation() {}

  public static UserInfo apply(ApiRequest r, UserInfo real, Rbac rbac) {
    String user = r.header("Impersonate-User");
    List<String> groups = r.headers("Impersonate-Group");
    String uid = r.header("Impersonate-Uid");
    if (user == null && groups.isEmpty() && uid == null) return real;
    if (user == null || user.isEmpty()) {
      throw ApiError.badRequest("requested " + groups + " without impersonating a user");
    }
    List<String> g = new ArrayList<>();
    if (user.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX)) {
      String[] p = user.substring(UserInfo.SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
      if (p.length != 2) throw ApiError.badRequest("invalid service account name " + user);
      check(rbac, Attributes.resource(real, "impersonate", p[0], "", "serviceaccounts", "", p[1]));
      g.add(UserInfo.SERVICE_ACCOUNTS_GROUP);
      g.add(UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + p[0]);
    } else {
      check(rbac, Attributes.resource(real, "impersonate", "", "", "users", "", user));
    }
    for (String grp : groups) {
      check(rbac, Attributes.resource(real, "impersonate", "", "", "groups", "", grp));
      if (!g.contains(grp)) g.add(grp);
    }
    if (uid != null) check(rbac, Attributes.resource(real, "impersonate", "", "authentication.k8s.io", "uids", "", uid));
    if (user.equals(UserInfo.ANONYMOUS)) {
      if (!g.contains(UserInfo.UNAUTHENTICATED)) g.add(UserInfo.UNAUTHENTICATED);
    } else if (!g.contains(UserInfo.AUTHENTICATED)) {
      g.add(UserInfo.AUTHENTICATED);
    }
    return new UserInfo(user, uid == null ? "" : uid, List.copyOf(g), Map.of());
  }

  private static void check(Rbac rbac, Attributes a) {
    if (!rbac.allows(a)) {
      throw ApiError.forbidden(a.resource(), a.apiGroup(), a.resource(), a.name(), a.forbiddenMessage());
    }
  }
}
