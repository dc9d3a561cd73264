package kubelab.apiserver.rest;

import java.io.IOException;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * GET of one object and of a collection (list), with Kubernetes' list semantics: label and field
 * selectors, {@code limit} and {@code continue} paging pinned to one revision, and
 * {@code resourceVersion} / {@code resourceVersionMatch} (unset or "0": the latest state; with
 * {@code resourceVersionMatch=Exact}: the state at exactly that revision, 410 Expired once it is
 * compacted).
 */
public final class Reads {
  private final RestContext ctx;

  public Reads(RestContext ctx) {
    this.ctx = ctx;
  }

  public void get(Call c) throws IOException {
    Stored s = ctx.store.get(c.type(), c.namespace(), c.name())
        .orElseThrow(() -> ApiError.notFound(c.type(), c.name()));
    Responder.stored(c.req(), c.resp(), c.type(), s, ctx.now());
  }

  public void list(Call c) throws IOException {
    Selectors sel = Selectors.of(c.req(), c.type());
    long limit = parseLong(c.req().param("limit"), "limit");
    String cont = c.req().param("continue");
    long revision = 0;
    String rv = c.req().param("resourceVersion");
    String match = c.req().param("resourceVersionMatch");
    if (match != null && !match.isEmpty()) {
      if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
        throw ApiError.invalid("ListOptions", "meta.k8s.io", "", java.util.List.of(
            kubelab.api.validation.FieldError.notSupported(kubelab.api.validation.FieldPath.of("resourceVersionMatch"),
                match, java.util.List.of("Exact", "NotOlderThan"))));
      }
      if (rv == null || rv.isEmpty()) {
        throw ApiError.invalid("ListOptions", "meta.k8s.io", "", java.util.List.of(
            kubelab.api.validation.FieldError.forbidden(kubelab.api.validation.FieldPath.of("resourceVersionMatch"),
                "resourceVersionMatch is forbidden unless resourceVersion is provided")));
      }
    }
    if (cont != null && !cont.isEmpty() && rv != null && !rv.isEmpty() && !rv.equals("0")) {
      throw ApiError.badRequest("specifying resource version is not allowed when using continue");
    }
    if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
      long r = parseLong(rv, "resourceVersion");
      if ("Exact".equals(match)) revision = r;
      else if (r > ctx.store.currentRevision()) {
        throw ApiError.timeout("Too large resource version: " + r + ", current: " + ctx.store.currentRevision());
      }
    }
    ObjectStore.Page page = ctx.store.list(c.type(), c.namespace(), sel.predicate(), limit, cont, revision,
        !sel.everything());
    Responder.list(c.req(), c.resp(), c.type(), page.items(), page.revision(), page.continueToken(),
        page.remaining(), ctx.now());
  }

  static long parseLong(String v, String name) {
    if (v == null || v.isEmpty()) return 0;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      if (name.equals("resourceVersion")) throw ApiError.badRequest("invalid resource version \"" + v + "\"");
      throw ApiError.badRequest("invalid value for " + name + ": " + v);
    }
  }
}
