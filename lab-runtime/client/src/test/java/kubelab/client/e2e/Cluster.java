package kubelab.client.e2e;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.core.Container;
import kubelab.api.core.Namespace;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.client.ClientConfig;
import kubelab.client.KubeClient;
import kubelab.client.KubeConfig;

/**
 * The real API server (lab-apiserver's TestApiServer: TLS, tokens, RBAC, watch, over an embedded
 * store) for the client's end-to-end tests, and small object builders. One server is shared by
 * every e2e test class of the JVM (starting one costs seconds in a cold JVM) and closed when the
 * JVM exits; each test works in its own namespace. Users: admin, "learner" (no roles) and
 * "system:kube-scheduler" (the scheduler's RBAC role).
 */
final class Cluster implements AutoCloseable {
  final TestApiServer api;
  final KubeClient admin;
  private final AtomicInteger namespaces = new AtomicInteger();

  Cluster(TestApiServer.Builder builder) {
    this.api = builder.start();
    // through the kubeconfig file the server wrote, as a user of the client would
    this.admin = KubeClient.fromKubeconfig(api.kubeconfig());
  }

  private static Cluster shared;

  static synchronized Cluster shared() {
    if (shared == null) {
      Cluster c = new Cluster(TestApiServer.builder().user("learner").user("system:kube-scheduler"));
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "e2e-cluster-close"));
      shared = c;
    }
    return shared;
  }

  /** A client for the admin user with other settings (e.g. through a proxy, another rate limit). */
  ClientConfig.Builder adminConfig(String url) {
    return ClientConfig.builder(url).caPem(api.caPem()).bearerToken(api.adminToken()).rateLimit(0, 0);
  }

  KubeClient adminVia(String url) {
    return KubeClient.create(adminConfig(url).build());
  }

  ClientConfig userConfig(String user) {
    return KubeConfig.load(api.kubeconfig(user)).clientConfig(null);
  }

  /** Creates a fresh namespace for one test. */
  String namespace(String prefix) {
    Namespace ns = new Namespace();
    ns.metadata.name = prefix + "-" + namespaces.incrementAndGet();
    admin.namespaces().create(ns);
    return ns.metadata.name;
  }

  private final AtomicInteger markers = new AtomicInteger();

  /**
   * Compacts the store's history as etcd's periodic compaction does, so that a watch from any
   * version seen before this call (other than the very latest) gets 410 Gone. A compaction at
   * revision R keeps R itself, so one more write first (a marker ConfigMap) moves R past
   * everything the test has seen.
   */
  void compactHistory() {
    kubelab.client.Unstructured marker = new kubelab.client.Unstructured("v1", "ConfigMap");
    marker.metadata.namespace = "default";
    marker.metadata.name = "compaction-marker-" + markers.incrementAndGet();
    long rev = Long.parseLong(admin.resource("", "v1", "configmaps", kubelab.client.Unstructured.class)
        .inNamespace("default").create(marker).metadata.resourceVersion);
    try {
      api.store().compact(rev).get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("compaction failed: " + e, e);
    }
  }

  static Pod pod(String ns, String name) {
    Pod p = new Pod();
    p.metadata.namespace = ns;
    p.metadata.name = name;
    Container c = new Container();
    c.name = "main";
    c.image = "busybox:1.36";
    p.spec.containers = List.of(c);
    return p;
  }

  static Node node(String name) {
    Node n = new Node();
    n.metadata.name = name;
    return n;
  }

  @Override public void close() {
    api.close();
  }
}
