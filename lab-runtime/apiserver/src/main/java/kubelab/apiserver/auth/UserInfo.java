package kubelab.apiserver.auth;

import java.util.List;
import java.util.Map;

/**
 * Who is making a request, as authentication found it (k8s.io/apiserver user.Info): a name, a
 * uid, groups and extra attributes. Authorization decides on these alone.
 *
 * <p>Well-known names (Kubernetes 1.32): {@code system:anonymous} in group
 * {@code system:unauthenticated}; every authenticated user is in {@code system:authenticated};
 * members of {@code system:masters} bypass authorization; a ServiceAccount is the user
 * {@code system:serviceaccount:NAMESPACE:NAME} in groups {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:NAMESPACE}.
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
  public static final String ANONYMOUS = "system:anonymous";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final String AUTHENTICATED = "system:authenticated";
  public static final String MASTERS = "system:masters";
  public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

  public static final UserInfo ANONYMOUS_USER =
      new UserInfo(ANONYMOUS, "", List.of(UNAUTHENTICATED), Map.of());

  public boolean inGroup(String g) {
    return groups.contains(g);
  }

  /** The user of a ServiceAccount, with its two groups. */
  public static UserInfo serviceAccount(String namespace, String name, String uid) {
    return new UserInfo(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name, uid == null ? "" : uid,
        List.of(SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNTS_GROUP + ":" + namespace, AUTHENTICATED), Map.of());
  }
}
