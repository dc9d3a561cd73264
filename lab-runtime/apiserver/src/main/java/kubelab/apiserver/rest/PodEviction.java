package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kubelab.api.Json;
import kubelab.api.meta.LabelSelector;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.Stored;

/**
 * {@code POST pods/NAME/eviction}: a delete that honours PodDisruptionBudgets (Kubernetes 1.32's
 * EvictionREST), what {@code kubectl drain} and the scheduler's preemption use.
 *
 * <p>A pod that is Pending, Succeeded, Failed or already being deleted is evicted without a
 * budget check. Otherwise the one PodDisruptionBudget whose selector matches the pod decides:
 * while its status has not caught up with its spec (observedGeneration) or it allows no more
 * disruptions, the answer is 429 TooManyRequests, "Cannot evict pod as it would violate the pod's
 * disruption budget."; if it allows one, the budget's status records the disruption
 * (disruptionsAllowed - 1, the pod under disruptedPods) and the pod is deleted.
 */
public final class PodEviction {
  static final String VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

  private final RestContext ctx;
  private final Deletes deletes;

  public PodEviction(RestContext ctx, Deletes deletes) {
    this.ctx = ctx;
    this.deletes = deletes;
  }

  public void create(Call c) throws IOException {
    ObjectNode body = BodyDecoder.decode(c.req().body(), c.req().contentType()).object();
    String kind = body.path("kind").asText("Eviction");
    if (!kind.equals("Eviction")) throw ApiError.badRequest("the kind of the body (" + kind + ") is not Eviction");
    String name = body.path("metadata").path("name").asText("");
    if (!name.isEmpty() && !name.equals(c.name())) {
      throw ApiError.badRequest("name in URL does not match name in Eviction object");
    }
    JsonNode opts = body.path("deleteOptions");
    Long grace = opts.hasNonNull("gracePeriodSeconds") ? opts.get("gracePeriodSeconds").asLong() : null;
    Deletes.Options o = new Deletes.Options(grace, opts.path("propagationPolicy").asText(null),
        opts.path("preconditions").path("uid").asText(null), opts.path("preconditions").path("resourceVersion").asText(null));
    ResourceType pods = c.type();
    Stored pod = ctx.store.get(pods, c.namespace(), c.name()).orElseThrow(() -> ApiError.notFound(pods, c.name()));
    String phase = pod.object().path("status").path("phase").asText("");
    boolean ignorePdb = phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")
        || pod.object().path("metadata").hasNonNull("deletionTimestamp");
    if (!ignorePdb) checkBudget(c, pod.object());
    if (!c.dryRun()) deletes.delete(c, pods, c.namespace(), c.name(), o);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    s.put("code", 201);
    Responder.json(c.resp(), 201, s);
  }

  private void checkBudget(Call c, ObjectNode pod) {
    ResourceType pdbs = ctx.resources.find("policy", "v1", "poddisruptionbudgets").orElseThrow();
    var labels = Selectors.labelsOf(pod);
    for (int attempt = 0; attempt < 10; attempt++) {
      List<Stored> matching = new ArrayList<>();
      for (Stored s : ctx.store.list(pdbs, c.namespace(), null, 0, null, 0, false).items()) {
        JsonNode sel = s.object().path("spec").path("selector");
        if (sel.isMissingNode() || sel.isNull()) continue;
        LabelSelector ls = Json.convert(sel, LabelSelector.class);
        if (ls.matches(labels)) matching.add(s);
      }
      if (matching.isEmpty()) return;
      if (matching.size() > 1) {
        throw ApiError.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
      }
      Stored pdb = matching.get(0);
      ObjectNode obj = pdb.object().deepCopy();
      String pdbName = obj.path("metadata").path("name").asText();
      JsonNode st = obj.path("status");
      if (st.path("observedGeneration").asLong(0) < obj.path("metadata").path("generation").asLong(0)) {
        throw tooMany("The disruption budget " + pdbName + " is still being processed by the server.");
      }
      long allowed = st.path("disruptionsAllowed").asLong(0);
      if (allowed < 0) throw ApiError.forbidden(pdbs, pdbName, "pdb disruptions allowed is negative");
      if (allowed == 0) {
        throw tooMany("The disruption budget " + pdbName + " needs " + st.path("desiredHealthy").asLong(0)
            + " healthy pods and has " + st.path("currentHealthy").asLong(0) + " currently");
      }
      if (c.dryRun()) return;
      ObjectNode status = obj.with("status");
      status.put("disruptionsAllowed", allowed - 1);
      status.with("disruptedPods").put(c.name(), ctx.timestamp());
      Optional<Stored> w = ctx.store.replace(pdbs, obj, pdb.modRevision());
      if (w.isPresent()) return;
    }
    throw ApiError.conflict(ctx.resources.find("policy", "v1", "poddisruptionbudgets").orElseThrow(), "",
        "the disruption budget changed too often; try again");
  }

  private static ApiError tooMany(String cause) {
    ObjectNode d = Json.MAPPER.createObjectNode();
    ObjectNode c = d.putArray("causes").addObject();
    c.put("reason", "DisruptionBudget");
    c.put("message", cause);
    return ApiError.tooManyRequests(VIOLATION, d);
  }

}
