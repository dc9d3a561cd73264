package kubelab.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Query parameters of list and watch (metav1.ListOptions). Immutable: each {@code withX} returns a
 * copy. Null and zero values are left out of the query.
 *
 * @param labelSelector e.g. {@code app=web,tier!=db} or {@code env in (prod,staging)}
 * @param fieldSelector e.g. {@code spec.nodeName=node-1} or {@code spec.nodeName=} (unscheduled)
 * @param limit page size; the answer's {@code metadata.continue} fetches the next page
 * @param continueToken the token from the previous page
 * @param resourceVersion for list: "" = most recent (consistent read), "0" = any; for watch: start after it
 * @param resourceVersionMatch NotOlderThan or Exact (list only)
 * @param timeoutSeconds the server ends a watch after this long
 * @param allowWatchBookmarks ask for BOOKMARK events carrying the latest resourceVersion
 */
public record ListOptions(String labelSelector, String fieldSelector, int limit, String continueToken,
    String resourceVersion, String resourceVersionMatch, int timeoutSeconds, boolean allowWatchBookmarks) {

  public static final ListOptions ALL = new ListOptions(null, null, 0, null, null, null, 0, false);

  public static ListOptions labels(String selector) {
    return ALL.withLabelSelector(selector);
  }

  public static ListOptions fields(String selector) {
    return ALL.withFieldSelector(selector);
  }

  public ListOptions withLabelSelector(String s) {
    return new ListOptions(s, fieldSelector, limit, continueToken, resourceVersion, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withFieldSelector(String s) {
    return new ListOptions(labelSelector, s, limit, continueToken, resourceVersion, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withLimit(int n) {
    return new ListOptions(labelSelector, fieldSelector, n, continueToken, resourceVersion, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withContinue(String token) {
    return new ListOptions(labelSelector, fieldSelector, limit, token, resourceVersion, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withResourceVersion(String rv) {
    return new ListOptions(labelSelector, fieldSelector, limit, continueToken, rv, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withResourceVersionMatch(String m) {
    return new ListOptions(labelSelector, fieldSelector, limit, continueToken, resourceVersion, m, timeoutSeconds, allowWatchBookmarks);
  }

  public ListOptions withTimeoutSeconds(int s) {
    return new ListOptions(labelSelector, fieldSelector, limit, continueToken, resourceVersion, resourceVersionMatch, s, allowWatchBookmarks);
  }

  public ListOptions withBookmarks(boolean b) {
    return new ListOptions(labelSelector, fieldSelector, limit, continueToken, resourceVersion, resourceVersionMatch, timeoutSeconds, b);
  }

  /** The query string (without '?'), {@code watch=true} first when {@code watch}. */
  public String query(boolean watch) {
    StringBuilder q = new StringBuilder();
    if (watch) add(q, "watch", "true");
    add(q, "labelSelector", labelSelector);
    add(q, "fieldSelector", fieldSelector);
    if (limit > 0) add(q, "limit", Integer.toString(limit));
    add(q, "continue", continueToken);
    add(q, "resourceVersion", resourceVersion);
    add(q, "resourceVersionMatch", resourceVersionMatch);
    if (timeoutSeconds > 0) add(q, "timeoutSeconds", Integer.toString(timeoutSeconds));
    if (watch && allowWatchBookmarks) add(q, "allowWatchBookmarks", "true");
    return q.toString();
  }

  static void add(StringBuilder q, String k, String v) {
    if (v == null || v.isEmpty()) return;
    if (q.length() > 0) q.append('&');
    q.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
  }
}
