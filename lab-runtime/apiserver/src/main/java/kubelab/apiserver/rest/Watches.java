package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.Params;
import kubelab.apiserver.http.MediaType;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;
import kubelab.store.KvStore;

/**
 * Watch: a chunked HTTP response with one JSON event per line ({@code {"type":"ADDED","object":
 * {...}}}), fed by a store watch on the resource's key prefix (Kubernetes 1.32 semantics).
 *
 * <ul>
 *   <li>{@code resourceVersion} unset or "0": synthetic ADDED events for every current object, then
 *       changes; {@code resourceVersion=N}: every change after N; if N was compacted, one ERROR
 *       event with 410 Expired ("too old resource version: N (M)") and the stream ends;
 *   <li>{@code sendInitialEvents=true}: the current objects first, then a BOOKMARK annotated
 *       {@code k8s.io/initial-events-end} (the watch-list protocol);
 *   <li>with selectors, an object that starts matching arrives as ADDED and one that stops
 *       matching as DELETED, as the watch cache does;
 *   <li>{@code allowWatchBookmarks=true}: periodic BOOKMARK events carrying the newest revision;
 *   <li>{@code timeoutSeconds}, else a random 30 to 60 minutes (--min-request-timeout=1800).
 * </ul>
 * The handler thread stays with the stream. Store callbacks only enqueue; this thread writes.
 */
public final class Watches {
  private final RestContext ctx;

  public Watches(RestContext ctx) {
    this.ctx = ctx;
  }

  private sealed interface Item permits Events, Progress, Compacted, Failed {}

  private record Events(long revision, List<KvStore.WatchEvent> events) implements Item {}

  private record Progress(long revision) implements Item {}

  private record Compacted(long revision) implements Item {}

  private record Failed(Throwable cause) implements Item {}

  public void watch(Call c) throws IOException {
    ResourceType t = c.type();
    Selectors sel = Selectors.of(c.req(), t);
    if (!c.name().isEmpty()) {
      sel = new Selectors(sel.labels(), kubelab.api.selector.FieldSelector.parse(
          join(c.req().param("fieldSelector"), "metadata.name=" + c.name())), sel.aliases());
    }
    Responder.Choice choice = Responder.negotiate(c.req());
    String rvParam = c.req().param("resourceVersion");
    boolean sendInitial = "true".equals(c.req().param("sendInitialEvents"));
    boolean bookmarks = "true".equals(c.req().param("allowWatchBookmarks"));
    long timeoutSeconds = Reads.parseLong(c.req().param("timeoutSeconds"), "timeoutSeconds");
    if (timeoutSeconds <= 0) {
      timeoutSeconds = Params.WATCH_MIN_TIMEOUT_SECONDS
          + ThreadLocalRandom.current().nextLong(Params.WATCH_MIN_TIMEOUT_SECONDS);
    }
    if (sendInitial && !bookmarks) {
      throw ApiError.invalid("ListOptions", "meta.k8s.io", "", List.of(kubelab.api.validation.FieldError.forbidden(
          kubelab.api.validation.FieldPath.of("allowWatchBookmarks"),
          "allowWatchBookmarks required when sendInitialEvents is true")));
    }
    long from;
    List<Stored> initial = new ArrayList<>();
    boolean initialEvents = rvParam == null || rvParam.isEmpty() || rvParam.equals("0") || sendInitial;
    if (initialEvents && (rvParam == null || rvParam.isEmpty() || rvParam.equals("0"))) {
      ObjectStore.Page page = ctx.store.list(t, c.namespace(), sel.predicate(), 0, null, 0, !sel.everything());
      initial = page.items();
      from = page.revision();
    } else {
      from = Reads.parseLong(rvParam, "resourceVersion");
      if (sendInitial) {
        ObjectStore.Page page = ctx.store.list(t, c.namespace(), sel.predicate(), 0, null, from, !sel.everything());
        initial = page.items();
      }
    }

    LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    String prefix = t.prefix(c.namespace());
    KvStore.WatchHandle handle = ctx.store.kv().watch(
        new KvStore.WatchRequest(prefix, KvStore.prefixEnd(prefix), from + 1, true, bookmarks),
        new KvStore.WatchListener() {
          @Override
          public void onEvents(long revision, List<KvStore.WatchEvent> events) {
            queue.add(new Events(revision, events));
          }

          @Override
          public void onProgress(long revision) {
            queue.add(new Progress(revision));
          }

          @Override
          public void onCompacted(long compactRevision) {
            queue.add(new Compacted(compactRevision));
          }

          @Override
          public void onError(Throwable cause) {
            queue.add(new Failed(cause));
          }
        });
    try {
      OutputStream out = c.resp().startStream(200, choice.shape() == Responder.Shape.TABLE
          ? choice.contentType() : MediaType.JSON);
      Emitter em = new Emitter(c, t, choice, out);
      for (Stored s : initial) em.stored("ADDED", s);
      long lastRev = from;
      if (sendInitial) em.bookmark(lastRev, true);
      em.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      long nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Params.BOOKMARK_INTERVAL_MS);
      while (!c.req().isGone()) {
        long now = System.nanoTime();
        if (now - deadline >= 0) break;
        Item item = queue.poll(Math.min(Params.WATCH_POLL_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now))),
            TimeUnit.MILLISECONDS);
        if (item instanceof Events e) {
          for (KvStore.WatchEvent ev : e.events()) emit(em, ev, sel);
          lastRev = Math.max(lastRev, e.revision());
          em.flush();
        } else if (item instanceof Progress p) {
          lastRev = Math.max(lastRev, p.revision());
        } else if (item instanceof Compacted k) {
          em.error(ApiError.expired("too old resource version: " + from + " (" + k.revision() + ")"));
          em.flush();
          break;
        } else if (item instanceof Failed f) {
          ApiError err = ObjectStore.fromStore(f.cause());
          em.error(err.code() == 500 ? ApiError.serviceUnavailable("the watch was interrupted: "
              + f.cause().getMessage() + "; watch again from the last resourceVersion") : err);
          em.flush();
          break;
        }
        if (bookmarks && System.nanoTime() - nextBookmark >= 0) {
          em.bookmark(lastRev, false);
          em.flush();
          nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Params.BOOKMARK_INTERVAL_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away: end the watch quietly
    } finally {
      handle.close();
    }
  }

  private static String join(String a, String b) {
    return a == null || a.isEmpty() ? b : a + "," + b;
  }

  /** Translates one store event into ADDED/MODIFIED/DELETED as seen through the selectors. */
  private static void emit(Emitter em, KvStore.WatchEvent ev, Selectors sel) throws IOException {
    if (sel.everything() && em.plainJson()) {
      // No selector, plain JSON: the stored bytes with the revision spliced in, never decoded.
      if (ev.type() == KvStore.WatchEvent.Type.PUT) {
        boolean created = ev.kv().createRevision() == ev.kv().modRevision();
        em.stored(created ? "ADDED" : "MODIFIED", ObjectStore.lazy(ev.kv()));
      } else if (ev.prevKv() != null && ev.prevKv().value() != null) {
        var prev = ev.prevKv();
        em.stored("DELETED", ObjectStore.lazy(new KvStore.KeyValue(prev.key(), prev.value(), prev.createRevision(),
            ev.kv().modRevision(), prev.version(), prev.lease())));
      }
      return;
    }
    if (ev.type() == KvStore.WatchEvent.Type.PUT) {
      ObjectNode cur = ObjectStore.decode(ev.kv()).object();
      ObjectNode prev = ev.prevKv() == null || ev.prevKv().value() == null ? null : ObjectStore.decode(ev.prevKv()).object();
      boolean curOk = sel.matches(cur);
      boolean prevOk = prev != null && sel.matches(prev);
      if (curOk) {
        em.event(prev == null || !prevOk ? "ADDED" : "MODIFIED", cur);
      } else if (prevOk) {
        ((ObjectNode) prev.get("metadata")).put("resourceVersion", Long.toString(ev.kv().modRevision()));
        em.event("DELETED", prev);
      }
    } else {
      if (ev.prevKv() == null || ev.prevKv().value() == null) return;
      ObjectNode prev = ObjectStore.decode(ev.prevKv()).object();
      if (!sel.matches(prev)) return;
      ((ObjectNode) prev.get("metadata")).put("resourceVersion", Long.toString(ev.kv().modRevision()));
      em.event("DELETED", prev);
    }
  }

  /** Writes events in the negotiated representation (objects, or one-row Tables for kubectl -w). */
  private final class Emitter {
    private final Call c;
    private final ResourceType t;
    private final Responder.Choice choice;
    private final OutputStream out;
    private boolean columnsSent;

    Emitter(Call c, ResourceType t, Responder.Choice choice, OutputStream out) {
      this.c = c;
      this.t = t;
      this.choice = choice;
      this.out = out;
    }

    void event(String type, ObjectNode obj) throws IOException {
      JsonNode o = obj;
      if (choice.shape() == Responder.Shape.TABLE) {
        o = Responder.table(t, List.of(obj), choice.tableVersion(),
            obj.path("metadata").path("resourceVersion").asText(""), null, c.req(), ctx.now(), !columnsSent);
        columnsSent = true;
      } else if (choice.shape() == Responder.Shape.METADATA) {
        o = Responder.partial(obj);
      }
      write(type, o);
    }

    boolean plainJson() {
      return choice.shape() == Responder.Shape.OBJECT;
    }

    /** An event with an object read from the store: its stored bytes when the representation is plain JSON. */
    void stored(String type, Stored s) throws IOException {
      if (!plainJson()) {
        event(type, s.object());
        return;
      }
      out.write(("{\"type\":\"" + type + "\",\"object\":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.write(s.json());
      out.write('}');
      out.write('\n');
    }

    void bookmark(long rev, boolean initialEnd) throws IOException {
      ObjectNode b = Json.MAPPER.createObjectNode();
      b.put("kind", t.kind());
      b.put("apiVersion", t.apiVersion());
      ObjectNode meta = b.putObject("metadata");
      meta.put("resourceVersion", Long.toString(rev));
      if (initialEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
      write("BOOKMARK", b);
    }

    void error(ApiError e) throws IOException {
      write("ERROR", e.toStatus());
    }

    private void write(String type, JsonNode obj) throws IOException {
      ObjectNode ev = Json.MAPPER.createObjectNode();
      ev.put("type", type);
      ev.set("object", obj);
      out.write(Json.MAPPER.writeValueAsBytes(ev));
      out.write('\n');
    }

    void flush() throws IOException {
      out.flush();
    }
  }
}
