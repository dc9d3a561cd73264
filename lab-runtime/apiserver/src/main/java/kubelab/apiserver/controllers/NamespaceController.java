package kubelab.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import kubelab.api.Json;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;
import kubelab.store.KvStore;

/**
 * A stand-in for three controllers of kube-controller-manager, until KubeLab's controller manager
 * exists (roadmap): the ServiceAccount controller (every namespace gets a {@code default}
 * ServiceAccount), the root CA publisher (every namespace gets the {@code kube-root-ca.crt}
 * ConfigMap that pods' token volumes read), and the namespace controller (a namespace being
 * deleted has its contents deleted, then its {@code kubernetes} finalizer removed, then it is gone).
 *
 * <p>It runs inside the API server and writes to the store directly, which the real controllers
 * never do (they use the API); it is kept small and does only these three jobs so it is easy to
 * replace. Like the real namespace controller it deletes pods gracefully: a pod still bound to a
 * node stays Terminating until its kubelet finishes it, and the namespace waits for it.
 *
 * <p>One daemon thread works a queue of namespace names fed by a store watch; terminating
 * namespaces are retried every second.
 */
public final class NamespaceController implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NamespaceController.class.getName());

  private final ObjectStore store;
  private final Resources resources = Resources.builtin();
  private final ResourceType namespaces = resources.find("", "v1", "namespaces").orElseThrow();
  private final ResourceType serviceAccounts = resources.find("", "v1", "serviceaccounts").orElseThrow();
  private final ResourceType configMaps = resources.find("", "v1", "configmaps").orElseThrow();
  private final Clock clock;
  private final String caPem;
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final Thread worker;
  private volatile KvStore.WatchHandle watch;
  private volatile boolean closed;

  public NamespaceController(ObjectStore store, Clock clock, String caPem) {
    this.store = store;
    this.clock = clock;
    this.caPem = caPem;
    this.worker = new Thread(this::run, "namespace-controller");
    this.worker.setDaemon(true);
  }

  public NamespaceController start() {
    long rev = resync();
    watch = store.kv().watch(KvStore.WatchRequest.prefix(namespaces.prefix(""), rev + 1), new KvStore.WatchListener() {
      @Override
      public void onEvents(long revision, List<KvStore.WatchEvent> events) {
        for (var e : events) {
          String key = e.kv().key();
          queue.add(key.substring(key.lastIndexOf('/') + 1));
        }
      }

      @Override
      public void onCompacted(long compactRevision) {
        resync();
      }

      @Override
      public void onError(Throwable cause) {
        // the store closed or the watch broke; the periodic retry still runs
      }
    });
    worker.start();
    return this;
  }

  private long resync() {
    ObjectStore.Page page = store.list(namespaces, "", null, 0, null, 0, false);
    for (Stored s : page.items()) queue.add(s.object().path("metadata").path("name").asText());
    return page.revision();
  }

  /** Makes sure a namespace has its default ServiceAccount and root CA ConfigMap (called after a create). */
  public void ensureDefaults(String ns) {
    ensure(serviceAccounts, ns, "default", null);
    if (caPem != null) {
      ObjectNode data = Json.MAPPER.createObjectNode();
      data.put("ca.crt", caPem);
      ensure(configMaps, ns, "kube-root-ca.crt", data);
    }
  }

  private void run() {
    while (!closed) {
      try {
        String ns = queue.poll(1, TimeUnit.SECONDS);
        if (ns != null) {
          sync(ns);
        } else {
          for (String t : terminating) sync(t);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) LOG.log(Level.FINE, "namespace controller: " + e);
      }
    }
  }

  private void sync(String ns) {
    Optional<Stored> cur = store.get(namespaces, "", ns);
    if (cur.isEmpty()) {
      terminating.remove(ns);
      return;
    }
    JsonNode obj = cur.get().object();
    if (!obj.path("metadata").hasNonNull("deletionTimestamp")) {
      terminating.remove(ns);
      ensureDefaults(ns);
      return;
    }
    terminating.add(ns);
    if (!deleteContents(ns)) return;
    // Empty: remove the kubernetes finalizer; then the namespace goes if nothing else holds it.
    ObjectNode next = cur.get().object().deepCopy();
    ObjectNode spec = next.with("spec");
    ArrayNode kept = Json.MAPPER.createArrayNode();
    for (JsonNode f : spec.path("finalizers")) if (!f.asText().equals("kubernetes")) kept.add(f);
    if (kept.isEmpty()) spec.remove("finalizers");
    else spec.set("finalizers", kept);
    boolean gone = kept.isEmpty() && next.path("metadata").path("finalizers").size() == 0;
    if (gone) {
      store.remove(namespaces, "", ns, cur.get().modRevision());
      terminating.remove(ns);
    } else {
      store.replace(namespaces, next, cur.get().modRevision());
    }
  }

  /** Deletes everything in the namespace; true once nothing is left. */
  private boolean deleteContents(String ns) {
    boolean empty = true;
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    for (ResourceType t : resources.all()) {
      if (!t.namespaced() || !t.persisted()) continue;
      for (Stored s : store.list(t, ns, null, 0, null, 0, false).items()) {
        empty = false;
        ObjectNode o = s.object();
        String name = o.path("metadata").path("name").asText();
        boolean pod = t.group().isEmpty() && t.plural().equals("pods");
        boolean bound = pod && !o.path("spec").path("nodeName").asText("").isEmpty();
        String phase = o.path("status").path("phase").asText("");
        boolean graceful = bound && !phase.equals("Succeeded") && !phase.equals("Failed");
        boolean hasFinalizers = o.path("metadata").path("finalizers").size() > 0;
        try {
          if (graceful || hasFinalizers) {
            if (!o.path("metadata").hasNonNull("deletionTimestamp")) {
              ObjectNode meta = (ObjectNode) o.get("metadata");
              long grace = graceful ? o.path("spec").path("terminationGracePeriodSeconds").asLong(30) : 0;
              meta.put("deletionTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(grace).toString());
              meta.put("deletionGracePeriodSeconds", grace);
              store.replace(t, o, s.modRevision());
            }
          } else {
            store.remove(t, ns, name, s.modRevision());
          }
        } catch (ApiError e) {
          LOG.log(Level.FINE, "namespace controller could not delete " + t.plural() + "/" + name + " at " + now + ": " + e);
        }
      }
    }
    return empty;
  }

  private void ensure(ResourceType t, String ns, String name, ObjectNode data) {
    if (store.get(t, ns, name).isPresent()) return;
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("apiVersion", "v1");
    o.put("kind", t.kind());
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    if (data != null) {
      o.set("data", data);
      if (name.equals("kube-root-ca.crt")) meta.putObject("annotations").put("kubernetes.io/description",
          "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as "
              + "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.");
    }
    try {
      store.create(t, o);
    } catch (ApiError e) {
      if (e.code() != 409) throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) watch.close();
    worker.interrupt();
  }
}
