package kubelab.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import kubelab.api.Json;
import kubelab.apiserver.ApiServer;
import kubelab.apiserver.pki.CertKey;
import kubelab.client.KubeClient;
import kubelab.scheduler.server.SchedulerServer;
import kubelab.store.server.MemberStatus;

/**
 * KubeLab's control plane in one JVM: a Raft-replicated store ({@link StoreMembers}: three
 * members on loopback TCP ports, WAL fsync on, reachable by {@code lab store} as etcd is by
 * etcdctl) and the API server in front of it, talking to the store over TCP as kube-apiserver
 * talks to etcd, with TLS from the cluster PKI, and the scheduler as a client of the API server
 * (identity system:kube-scheduler, leader election through the kube-system/kube-scheduler Lease).
 * Controllers and kubelets are on the roadmap, so nodes are only API objects for now.
 *
 * <p>Start order is the real one: store members (and wait for a leader), then the API server
 * (which bootstraps default objects through the store), then the kubeconfigs are written with
 * the port actually bound, then the scheduler starts with its kubeconfig. {@link #close()} stops them in reverse order. The serving certificate
 * is reloaded when {@code pki/apiserver.crt} changes on disk ({@code lab certs renew apiserver}).
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

  private final ClusterConfig config;
  private final ClusterPki pki;
  private final StoreMembers store;
  private final ApiServer api;
  private final Path kubeconfig;
  private SchedulerServer scheduler;
  private final Thread certWatcher;
  private volatile boolean closed;

  private ControlPlane(ClusterConfig config, ClusterPki pki, StoreMembers store, ApiServer api, Path kubeconfig) {
    this.config = config;
    this.pki = pki;
    this.store = store;
    this.api = api;
    this.kubeconfig = kubeconfig;
    this.certWatcher = new Thread(this::watchCertificate, "cert-reloader");
    this.certWatcher.setDaemon(true);
    this.certWatcher.start();
  }

  /**
   * Starts the control plane; blocks until the API server answers.
   *
   * @param log progress lines ("store: s1 elected leader ...")
   * @throws IOException with a sentence a user can act on (port in use, state not writable)
   */
  public static ControlPlane start(ClusterConfig config, Consumer<String> log) throws IOException {
    Path state = config.stateDir();
    try {
      Files.createDirectories(state);
    } catch (IOException e) {
      throw new IOException("cannot create the cluster state directory " + state + ": " + e.getMessage()
          + " (run as root, or pass --root DIR)", e);
    }
    ClusterPki pki = ClusterPki.ensure(state, config.extraSans());
    log.accept("pki: CA and certificates in " + pki.dir());
    StoreMembers store = StoreMembers.start(config, state.resolve("store"), line -> LOG.fine(line));
    try {
      String leader = store.awaitLeader(Duration.ofSeconds(20));
      log.accept("store: " + config.storeMembers() + " members (" + store.endpoints() + "), leader " + leader
          + ", WAL with fsync in " + state.resolve("store"));
      java.util.concurrent.atomic.AtomicReference<String> urlRef = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicReference<SchedulerServer> schedRef = new java.util.concurrent.atomic.AtomicReference<>();
      ApiServer api;
      try {
        api = ApiServer.builder()
            .store(store.client())
            .bind(config.bindAddress(), config.port())
            .tls(pki.ca(), pki.apiServer())
            .serviceAccountKey(pki.serviceAccountKey())
            .status(() -> status(store, urlRef.get(), schedRef.get()))
            .build()
            .start();
      } catch (Exception e) {
        if (rootCause(e) instanceof BindException) {
          throw new IOException("cannot listen on " + config.bindAddress() + ":" + config.port()
              + ": the port is in use (is a cluster already running? lab cluster status) - pass --port to use another", e);
        }
        throw new IOException("the API server did not start: " + rootCause(e).getMessage(), e);
      }
      String url = "https://" + config.clientHost() + ":" + api.port();
      urlRef.set(url);
      Path kc = pki.writeKubeconfigs(url);
      log.accept("apiserver: serving " + url);
      ControlPlane cp = new ControlPlane(config, pki, store, api, kc);
      try {
        cp.scheduler = SchedulerServer.builder(KubeClient.fromKubeconfig(state.resolve("scheduler.conf"))).build();
        cp.scheduler.start(Duration.ofSeconds(30));
        schedRef.set(cp.scheduler);
        log.accept("scheduler: " + cp.scheduler.identity() + " campaigning for lease kube-system/kube-scheduler");
      } catch (Exception e) {
        cp.close();
        throw new IOException("the scheduler did not start: " + rootCause(e).getMessage(), e);
      }
      return cp;
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    } catch (InterruptedException e) {
      store.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the store", e);
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t;
  }

  public String url() {
    return "https://" + config.clientHost() + ":" + api.port();
  }

  public ApiServer apiServer() {
    return api;
  }

  public StoreMembers store() {
    return store;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public ClusterPki pki() {
    return pki;
  }

  /** The scheduler (null only while starting). */
  public SchedulerServer scheduler() {
    return scheduler;
  }

  /** The component table {@code lab cluster status} prints (also served at /kubelab/status). */
  public JsonNode status() {
    return status(store, url(), scheduler);
  }

  /** The scheduler's row of the component table. */
  private static void schedulerStatus(ArrayNode comps, SchedulerServer s, long pid) {
    ObjectNode c = comps.addObject();
    c.put("name", "scheduler");
    c.put("pid", pid);
    c.put("role", s.isLeader() ? "leader" : "standby");
    c.put("health", "ok");
    c.put("detail", "lease kube-system/kube-scheduler held by " + (s.observedLeader().isEmpty() ? "nobody yet" : s.observedLeader())
        + ", " + s.scheduler().queue().size() + " pods queued");
  }

  static JsonNode status(StoreMembers store, String url) {
    return status(store, url, null);
  }

  static JsonNode status(StoreMembers store, String url, SchedulerServer scheduler) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    long pid = ProcessHandle.current().pid();
    ArrayNode comps = root.putArray("components");
    java.util.Set<String> up = new java.util.HashSet<>();
    for (MemberStatus s : store.status()) {
      up.add(s.name());
      ObjectNode c = comps.addObject();
      c.put("name", "store/" + s.name());
      c.put("pid", pid);
      c.put("role", s.role().toLowerCase());
      c.put("health", "ok");
      c.put("detail", store.endpoint(s.name()) + ", term " + s.term() + ", commit " + s.commit() + ", applied " + s.applied() + ", revision "
          + s.revision() + ", " + s.keys() + " keys" + (s.fsyncs() > 0
              ? String.format(", fsync %.2f ms avg", s.fsyncMeanMillis()) : ""));
    }
    for (String name : store.names()) {
      if (up.contains(name)) continue;
      ObjectNode c = comps.addObject();
      c.put("name", "store/" + name);
      c.put("pid", pid);
      c.put("role", "-");
      c.put("health", "down");
      c.put("detail", "stopped");
    }
    ObjectNode a = comps.addObject();
    a.put("name", "apiserver");
    a.put("pid", pid);
    a.put("role", "-");
    a.put("health", "ok");
    a.put("detail", url == null ? "serving" : "serving " + url);
    if (scheduler != null) schedulerStatus(comps, scheduler, pid);
    for (String[] missing : new String[][] {
        {"controller-manager", "roadmap: ReplicaSet, Deployment, node lifecycle, ... controllers"},
        {"kubelets", "roadmap: nodes are API objects only"}}) {
      ObjectNode c = comps.addObject();
      c.put("name", missing[0]);
      c.put("pid", "-");
      c.put("role", "-");
      c.put("health", "absent");
      c.put("detail", missing[1]);
    }
    return root;
  }

  private void watchCertificate() {
    Path crt = pki.dir().resolve("apiserver.crt");
    FileTime seen = mtime(crt);
    while (!closed) {
      try {
        Thread.sleep(1000);
        FileTime now = mtime(crt);
        if (now != null && !now.equals(seen)) {
          seen = now;
          Thread.sleep(200); // let the writer finish both files
          api.reloadServingCertificate(CertKey.read(pki.dir(), "apiserver"));
          LOG.info("apiserver: serving certificate reloaded from " + crt);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.log(Level.WARNING, "apiserver: could not reload the serving certificate: " + e.getMessage());
      }
    }
  }

  private static FileTime mtime(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    certWatcher.interrupt();
    if (scheduler != null) scheduler.close();
    api.close();
    store.close();
  }
}
