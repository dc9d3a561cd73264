package kubelab.apiserver.rest;

import java.io.IOException;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;

/**
 * Sends a resource request to the handler of its verb and subresource. Verbs a resource does not
 * serve are 405 MethodNotAllowed; unknown subresources are 404.
 */
public final class ResourceRouter {
  /** Handlers of the virtual review resources (SelfSubjectAccessReview, TokenReview, ...). */
  public interface VirtualCreate {
    void create(Call c) throws IOException;
  }

  private final Reads reads;
  private final Writes writes;
  private final Patches patches;
  private final Deletes deletes;
  private final Watches watches;
  private final ScaleSubresource scale;
  private final PodBinding binding;
  private final PodEviction eviction;
  private final PodLogs logs;
  private final ServiceAccountToken tokens;
  private final java.util.Map<String, VirtualCreate> virtual;

  public ResourceRouter(RestContext ctx, java.util.Map<String, VirtualCreate> virtual) {
    this(ctx, virtual, null);
  }

  public ResourceRouter(RestContext ctx, java.util.Map<String, VirtualCreate> virtual,
      kubelab.apiserver.auth.ServiceAccountTokens saTokens) {
    this.tokens = new ServiceAccountToken(ctx, saTokens);
    this.deletes = new Deletes(ctx);
    this.writes = new Writes(ctx, deletes);
    this.reads = new Reads(ctx);
    this.patches = new Patches(ctx, writes);
    this.watches = new Watches(ctx);
    this.scale = new ScaleSubresource(ctx, writes);
    this.binding = new PodBinding(ctx, writes);
    this.eviction = new PodEviction(ctx, deletes);
    this.logs = new PodLogs(ctx);
    this.virtual = virtual;
  }

  public Writes writes() {
    return writes;
  }

  public void serve(Call c) throws IOException {
    ResourceType t = c.type();
    String verb = c.info().verb();
    String sub = c.info().subresource();
    if (sub.isEmpty()) {
      if (!t.persisted()) {
        VirtualCreate v = virtual.get(t.group() + "/" + t.plural());
        if (!verb.equals("create") || v == null) throw ApiError.methodNotAllowed();
        v.create(c);
        return;
      }
      if (!t.hasVerb(verb)) throw ApiError.methodNotAllowed();
      switch (verb) {
        case "get" -> reads.get(c);
        case "list" -> reads.list(c);
        case "watch" -> watches.watch(c);
        case "create" -> {
          if (!c.name().isEmpty()) throw ApiError.methodNotAllowed();
          writes.create(c);
        }
        case "update" -> writes.update(c);
        case "patch" -> patches.patch(c, "");
        case "delete" -> deletes.delete(c);
        case "deletecollection" -> deletes.deleteCollection(c);
        default -> throw ApiError.methodNotAllowed();
      }
      return;
    }
    if (c.name().isEmpty() || t.subresource(sub) == null) throw ApiError.noSuchPath();
    if (!t.subresource(sub).verbs().contains(verb) && !(verb.equals("create") && sub.equals("exec"))) {
      throw ApiError.methodNotAllowed();
    }
    switch (sub) {
      case "status" -> {
        switch (verb) {
          case "get" -> reads.get(c);
          case "update" -> writes.updateStatus(c);
          case "patch" -> patches.patch(c, "status");
          default -> throw ApiError.methodNotAllowed();
        }
      }
      case "scale" -> scale.serve(c);
      case "binding" -> binding.create(c);
      case "eviction" -> eviction.create(c);
      case "log" -> logs.log(c);
      case "exec", "attach", "portforward" -> logs.noUpgrade(c);
      case "finalize" -> writes.finalizeNamespace(c);
      case "token" -> tokens.create(c);
      default -> {
        VirtualCreate v = virtual.get(t.group() + "/" + t.plural() + "/" + sub);
        if (v == null) throw ApiError.noSuchPath();
        v.create(c);
      }
    }
  }

  public PodBinding binding() {
    return binding;
  }

  public PodLogs logs() {
    return logs;
  }
}
