package kubelab.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import kubelab.api.Json;
import kubelab.api.meta.KubeList;
import kubelab.api.meta.KubeObject;

/**
 * Typed access to one resource, optionally within one namespace: client-go's typed clientset
 * ({@code client.CoreV1().Pods("default")}), here {@code client.pods("default")}.
 *
 * <p>Namespace rules: a client made for a namespace works in it; one made for "all namespaces"
 * ({@code namespace() == null}) lists and watches across all of them, and for single objects takes
 * the namespace from the object ({@code create}, {@code update}) or needs {@link #inNamespace}.
 * Cluster-scoped resources ignore the namespace.
 *
 * <p>Ownership: objects passed in are read, never modified or retained; objects returned are
 * freshly decoded and belong to the caller. Errors: {@link ApiException} subclasses for answers
 * (NotFound, Conflict, ...), {@link KubeClientException} for no answer. Immutable and thread-safe;
 * every call blocks for one request (watch: until the stream opens).
 */
public class ResourceClient<T extends KubeObject> {
  protected final Transport transport;
  protected final ResourceType<T> type;
  protected final String namespace;
  private final JavaType listType;

  ResourceClient(Transport transport, ResourceType<T> type, String namespace) {
    this.transport = transport;
    this.type = type;
    this.namespace = type.namespaced() ? namespace : null;
    this.listType = Json.MAPPER.getTypeFactory().constructParametricType(KubeList.class, type.type());
  }

  /** The same resource in namespace {@code ns} (null: all namespaces). */
  public ResourceClient<T> inNamespace(String ns) {
    return new ResourceClient<>(transport, type, ns);
  }

  public ResourceType<T> type() {
    return type;
  }

  /** The namespace this client works in; null for all namespaces or a cluster-scoped resource. */
  public String namespace() {
    return namespace;
  }

  // ---- read ------------------------------------------------------------------------------------

  /** GET one object. @throws ApiException.NotFound if there is none */
  public T get(String name) {
    return decode(transport.request("GET", objectPath(namespace, name, null), null, null));
  }

  /** GET one object, or null if it does not exist. */
  public T getOrNull(String name) {
    try {
      return get(name);
    } catch (ApiException.NotFound e) {
      return null;
    }
  }

  /** One LIST request: at most {@code limit} items and a continue token if there are more. */
  public KubeList<T> list(ListOptions opts) {
    String q = opts.query(false);
    byte[] body = transport.request("GET", collectionPath(namespace) + (q.isEmpty() ? "" : "?" + q), null, null);
    try {
      return Json.MAPPER.readValue(body, listType);
    } catch (IOException e) {
      throw new KubeClientException("cannot decode " + type + " list: " + e.getMessage(), e);
    }
  }

  public KubeList<T> list() {
    return list(ListOptions.ALL);
  }

  /**
   * Every matching object, fetched in pages of {@code pageSize} (client-go's pager). The returned
   * list's {@code metadata.resourceVersion} is the one of the first page: a consistent snapshot.
   */
  public KubeList<T> listAll(ListOptions opts, int pageSize) {
    KubeList<T> first = list(opts.withLimit(pageSize).withContinue(null));
    KubeList<T> out = first;
    String cont = first.metadata.continueToken;
    while (cont != null && !cont.isEmpty()) {
      // a continue carries the snapshot's version; the server refuses a resourceVersion with it
      KubeList<T> page = list(opts.withLimit(pageSize).withContinue(cont).withResourceVersion(null)
          .withResourceVersionMatch(null));
      out.items.addAll(page.items);
      cont = page.metadata.continueToken;
    }
    out.metadata.continueToken = null;
    out.metadata.remainingItemCount = null;
    return out;
  }

  // ---- write -----------------------------------------------------------------------------------

  /** POST: creates {@code obj} (name or generateName set) and returns it as stored. */
  public T create(T obj) {
    String ns = namespaceFor(obj);
    return decode(transport.request("POST", collectionPath(ns), encode(obj), null));
  }

  /**
   * PUT: replaces the object; fails with {@link ApiException.Conflict} if its
   * {@code metadata.resourceVersion} is stale (optimistic concurrency). Status changes are ignored
   * by the server for resources with a status subresource: use {@link #updateStatus}.
   */
  public T update(T obj) {
    return decode(transport.request("PUT", objectPath(namespaceFor(obj), obj.metadata.name, null), encode(obj), null));
  }

  /** PUT to the status subresource: only {@code status} changes. */
  public T updateStatus(T obj) {
    return decode(transport.request("PUT", objectPath(namespaceFor(obj), obj.metadata.name, "status"), encode(obj), null));
  }

  /** PATCH the object with a patch document of the given type. */
  public T patch(String name, PatchType patchType, String patch) {
    return decode(transport.request("PATCH", objectPath(namespace, name, null) + applyQuery(patchType),
        patch.getBytes(java.nio.charset.StandardCharsets.UTF_8), patchType.contentType()));
  }

  /** PATCH the status subresource. */
  public T patchStatus(String name, PatchType patchType, String patch) {
    return decode(transport.request("PATCH", objectPath(namespace, name, "status") + applyQuery(patchType),
        patch.getBytes(java.nio.charset.StandardCharsets.UTF_8), patchType.contentType()));
  }

  private static String applyQuery(PatchType t) {
    return t == PatchType.APPLY ? "?fieldManager=kubelab-client&force=true" : "";
  }

  /**
   * Read-modify-write with retry on Conflict (client-go's {@code retry.RetryOnConflict}): gets the
   * object, applies {@code change} to that fresh copy, updates; on 409 starts over, up to
   * {@code attempts} times.
   */
  public T edit(String name, UnaryOperator<T> change, int attempts) {
    ApiException.Conflict last = null;
    for (int i = 0; i < attempts; i++) {
      try {
        return update(change.apply(get(name)));
      } catch (ApiException.Conflict c) {
        last = c;
      }
    }
    throw last;
  }

  /**
   * DELETE. Returns the object as the server left it if it still exists (graceful deletion or
   * finalizers set {@code deletionTimestamp}), or null if it is gone.
   */
  public T delete(String name, DeleteOptions opts) {
    byte[] body = transport.request("DELETE", objectPath(namespace, name, null), opts.body(), "application/json");
    return objectOrNull(body);
  }

  public T delete(String name) {
    return delete(name, DeleteOptions.DEFAULT);
  }

  /** DELETE on the collection: every object matching the selectors. */
  public void deleteCollection(ListOptions selectors, DeleteOptions opts) {
    String q = selectors.query(false);
    transport.request("DELETE", collectionPath(namespace) + (q.isEmpty() ? "" : "?" + q), opts.body(), "application/json");
  }

  // ---- watch -----------------------------------------------------------------------------------

  /**
   * Opens a watch. Pass the resourceVersion of a list to see every change after it; ask for
   * bookmarks with {@code withBookmarks(true)}. Throws {@link ApiException.Gone} if that version is
   * too old (or the server sends an ERROR event right away). The caller must close the watch.
   */
  public Watch<T> watch(ListOptions opts) {
    InputStream in = transport.stream(collectionPath(namespace) + "?" + opts.query(true));
    return new HttpWatch<>(in, type.type());
  }

  // ---- subresources ----------------------------------------------------------------------------

  /** POST a body to a subresource ({@code pods/NAME/binding}, {@code pods/NAME/eviction}); returns the answer as a tree. */
  public JsonNode postSubresource(String namespace, String name, String subresource, Object body) {
    byte[] resp = transport.request("POST", objectPath(effective(namespace), name, subresource), Json.toBytes(body), null);
    try {
      return resp.length == 0 ? null : Json.MAPPER.readTree(resp);
    } catch (IOException e) {
      throw new KubeClientException("cannot decode " + subresource + " answer: " + e.getMessage(), e);
    }
  }

  // ---- paths and codec -------------------------------------------------------------------------

  protected String effective(String ns) {
    return ns != null ? ns : namespace;
  }

  protected String collectionPath(String ns) {
    return type.collectionPath(ns);
  }

  protected String objectPath(String ns, String name, String subresource) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException(type + ": a name is required");
    if (name.contains("/")) throw new IllegalArgumentException(type + ": invalid name " + name);
    if (type.namespaced() && (ns == null || ns.isEmpty())) {
      throw new IllegalArgumentException(type + " \"" + name + "\": a namespace is required (use inNamespace)");
    }
    return collectionPath(ns) + "/" + name + (subresource == null ? "" : "/" + subresource);
  }

  private String namespaceFor(T obj) {
    if (!type.namespaced()) return null;
    if (namespace != null) return namespace;
    String ns = obj.metadata == null ? null : obj.metadata.namespace;
    if (ns == null || ns.isEmpty()) {
      throw new IllegalArgumentException(type + ": the object names no namespace and the client has none");
    }
    return ns;
  }

  private byte[] encode(T obj) {
    return Json.toBytes(obj);
  }

  protected T decode(byte[] body) {
    try {
      return Json.MAPPER.readValue(body, type.type());
    } catch (IOException e) {
      throw new KubeClientException("cannot decode " + type + ": " + e.getMessage(), e);
    }
  }

  private T objectOrNull(byte[] body) {
    if (body == null || body.length == 0) return null;
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if ("Status".equals(n.path("kind").asText())) return null;
      return Json.MAPPER.treeToValue(n, type.type());
    } catch (IOException e) {
      throw new KubeClientException("cannot decode " + type + ": " + e.getMessage(), e);
    }
  }

  /** Items of a list as a plain list (a convenience for streams). */
  public List<T> items(ListOptions opts) {
    return new ArrayList<>(list(opts).items);
  }
}
