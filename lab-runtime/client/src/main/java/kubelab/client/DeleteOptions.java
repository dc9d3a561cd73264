package kubelab.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.Json;

/**
 * The body of a DELETE (metav1.DeleteOptions). Immutable.
 *
 * @param gracePeriodSeconds null: the object's default (30 s for pods); 0: immediately
 * @param propagationPolicy Orphan, Background or Foreground; null: the resource's default
 * @param preconditionUid delete only if the object still has this uid
 * @param preconditionResourceVersion delete only if the object is still at this version
 * @param dryRun validate and admit, but do not persist
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
    String preconditionResourceVersion, boolean dryRun) {

  public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);

  public static DeleteOptions gracePeriod(long seconds) {
    return new DeleteOptions(seconds, null, null, null, false);
  }

  public static DeleteOptions propagation(String policy) {
    return new DeleteOptions(null, policy, null, null, false);
  }

  /** Deletes only the object with this uid: a recreated object of the same name is left alone. */
  public DeleteOptions withPreconditionUid(String uid) {
    return new DeleteOptions(gracePeriodSeconds, propagationPolicy, uid, preconditionResourceVersion, dryRun);
  }

  public DeleteOptions withPreconditionResourceVersion(String rv) {
    return new DeleteOptions(gracePeriodSeconds, propagationPolicy, preconditionUid, rv, dryRun);
  }

  /** JSON body, or null when every field is at its default (then no body is sent). */
  byte[] body() {
    if (this.equals(DEFAULT)) return null;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", "DeleteOptions");
    if (gracePeriodSeconds != null) m.put("gracePeriodSeconds", gracePeriodSeconds);
    if (propagationPolicy != null) m.put("propagationPolicy", propagationPolicy);
    if (preconditionUid != null || preconditionResourceVersion != null) {
      Map<String, Object> p = new LinkedHashMap<>();
      if (preconditionUid != null) p.put("uid", preconditionUid);
      if (preconditionResourceVersion != null) p.put("resourceVersion", preconditionResourceVersion);
      m.put("preconditions", p);
    }
    if (dryRun) m.put("dryRun", List.of("All"));
    return Json.toBytes(m);
  }
}
