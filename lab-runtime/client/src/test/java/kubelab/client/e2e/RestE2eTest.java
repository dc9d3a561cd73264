package kubelab.client.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.api.core.PodStatus;
import kubelab.api.meta.KubeList;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Pki;
import kubelab.client.ApiException;
import kubelab.client.ClientConfig;
import kubelab.client.DeleteOptions;
import kubelab.client.KubeClient;
import kubelab.client.KubeConfig;
import kubelab.client.ListOptions;
import kubelab.client.PatchType;
import kubelab.client.PodClient;
import kubelab.client.ResourceType;
import kubelab.client.Unstructured;
import kubelab.client.Watch;
import kubelab.client.WatchEvent;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed REST access against the real API server: CRUD, optimistic concurrency, patches, subresources, paging, watch, auth. */
class RestE2eTest {
  static Cluster cluster;

  @BeforeAll static void start() {
    cluster = Cluster.shared();
  }


  @Test void podsCanBeCreatedReadUpdatedAndDeleted() {
    String ns = cluster.namespace("crud");
    PodClient pods = cluster.admin.pods(ns);
    Pod created = pods.create(Cluster.pod(ns, "web"));
    assertNotNull(created.metadata.uid, "server-set uid");
    assertNotNull(created.metadata.resourceVersion);
    assertNotNull(created.metadata.creationTimestamp);

    Pod got = pods.get("web");
    assertEquals(created.metadata.uid, got.metadata.uid);
    assertEquals("busybox:1.36", got.spec.containers.get(0).image);

    got.metadata.labels = Map.of("app", "web");
    Pod updated = pods.update(got);
    assertNotEquals(created.metadata.resourceVersion, updated.metadata.resourceVersion);

    ApiException.AlreadyExists ae = assertThrows(ApiException.AlreadyExists.class, () -> pods.create(Cluster.pod(ns, "web")));
    assertEquals(409, ae.code());
    assertEquals("pods \"web\" already exists", ae.statusMessage());

    pods.delete("web", DeleteOptions.gracePeriod(0));
    ApiException.NotFound nf = assertThrows(ApiException.NotFound.class, () -> pods.get("web"));
    assertEquals("pods \"web\" not found", nf.statusMessage());
    assertNull(pods.getOrNull("web"));
  }

  @Test void anUpdateWithAStaleResourceVersionIsAConflictAndEditRetries() {
    String ns = cluster.namespace("conflict");
    PodClient pods = cluster.admin.pods(ns);
    Pod v1 = pods.create(Cluster.pod(ns, "web"));
    Pod a = pods.get("web"), b = pods.get("web");
    a.metadata.labels = Map.of("writer", "a");
    pods.update(a);
    b.metadata.labels = Map.of("writer", "b");
    ApiException.Conflict c = assertThrows(ApiException.Conflict.class, () -> pods.update(b));
    assertTrue(c.statusMessage().contains("the object has been modified"), c.statusMessage());
    Pod edited = pods.edit("web", p -> {
      p.metadata.labels = Map.of("writer", "edit");
      return p;
    }, 3);
    assertEquals("edit", edited.metadata.labels.get("writer"));
    assertNotEquals(v1.metadata.resourceVersion, edited.metadata.resourceVersion);
  }

  @Test void theThreePatchTypesChangeWhatTheySay() {
    String ns = cluster.namespace("patch");
    PodClient pods = cluster.admin.pods(ns);
    pods.create(Cluster.pod(ns, "web"));
    Pod p = pods.patch("web", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"a\":\"1\"}}}");
    assertEquals(Map.of("a", "1"), p.metadata.labels);
    p = pods.patch("web", PatchType.JSON, "[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"2\"}]");
    assertEquals(Map.of("a", "1", "b", "2"), p.metadata.labels);
    // strategic merge merges containers by name: only the image of "main" changes
    p = pods.patch("web", PatchType.STRATEGIC_MERGE, "{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.37\"}]}}");
    assertEquals(1, p.spec.containers.size());
    assertEquals("busybox:1.37", p.spec.containers.get(0).image);
  }

  @Test void statusIsWrittenThroughTheStatusSubresource() {
    String ns = cluster.namespace("status");
    PodClient pods = cluster.admin.pods(ns);
    Pod p = pods.create(Cluster.pod(ns, "web"));
    p.status = p.status == null ? new PodStatus() : p.status;
    p.status.phase = "Running";
    Pod s = pods.updateStatus(p);
    assertEquals("Running", s.status.phase);
    assertEquals("Running", pods.get("web").status.phase);
    Pod patched = pods.patchStatus("web", PatchType.MERGE, "{\"status\":{\"phase\":\"Succeeded\"}}");
    assertEquals("Succeeded", patched.status.phase);
  }

  @Test void bindingSetsTheNodeOnceAndTheSecondBindConflicts() {
    String ns = cluster.namespace("bind");
    cluster.admin.nodes().create(Cluster.node("bind-node-1"));
    PodClient pods = cluster.admin.pods(ns);
    Pod p = pods.create(Cluster.pod(ns, "web-0"));
    pods.bind(p, "bind-node-1");
    Pod bound = pods.get("web-0");
    assertEquals("bind-node-1", bound.spec.nodeName);
    assertThrows(ApiException.Conflict.class, () -> pods.bind(p, "bind-node-1"));
  }

  @Test void nodesAreClusterScoped() {
    ResourceType<Node> t = ResourceType.NODES;
    assertFalse(t.namespaced());
    Node n = cluster.admin.nodes().create(Cluster.node("scoped-node"));
    assertNull(n.metadata.namespace);
    assertEquals("scoped-node", cluster.admin.nodes().inNamespace("ignored").get("scoped-node").metadata.name);
    cluster.admin.nodes().delete("scoped-node");
  }

  @Test void selectorsAndPagingReturnExactlyTheMatchingObjects() {
    String ns = cluster.namespace("page");
    PodClient pods = cluster.admin.pods(ns);
    for (int i = 0; i < 25; i++) {
      Pod p = Cluster.pod(ns, "p" + i);
      p.metadata.labels = Map.of("parity", i % 2 == 0 ? "even" : "odd");
      pods.create(p);
    }
    KubeList<Pod> first = pods.list(ListOptions.ALL.withLimit(10));
    assertEquals(10, first.items.size());
    assertNotNull(first.metadata.continueToken);
    List<String> names = new ArrayList<>();
    KubeList<Pod> page = first;
    while (true) {
      page.items.forEach(p -> names.add(p.metadata.name));
      if (page.metadata.continueToken == null || page.metadata.continueToken.isEmpty()) break;
      page = pods.list(ListOptions.ALL.withLimit(10).withContinue(page.metadata.continueToken));
    }
    assertEquals(25, names.size());
    assertEquals(25, new java.util.HashSet<>(names).size(), "no duplicates across pages");
    assertEquals(25, pods.listAll(ListOptions.ALL, 7).items.size());
    assertEquals(13, pods.list(ListOptions.labels("parity=even")).items.size());
    assertEquals(12, pods.list(ListOptions.labels("parity notin (even)")).items.size());
    assertEquals(1, pods.list(ListOptions.fields("metadata.name=p3")).items.size());
    assertEquals(25, cluster.admin.pods().list(ListOptions.labels("parity")).items.stream()
        .filter(p -> ns.equals(p.metadata.namespace)).count(), "all-namespaces list includes them");
  }

  @Test void aWatchFromAVersionDeliversChangesAndBookmarksAdvanceTheVersion() throws Exception {
    String ns = cluster.namespace("watch");
    PodClient pods = cluster.admin.pods(ns);
    String rv = pods.list().metadata.resourceVersion;
    try (Watch<Pod> w = pods.watch(ListOptions.ALL.withResourceVersion(rv).withBookmarks(true).withTimeoutSeconds(60))) {
      pods.create(Cluster.pod(ns, "a"));
      pods.patch("a", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
      pods.delete("a", DeleteOptions.gracePeriod(0));
      List<String> seen = new ArrayList<>();
      while (seen.size() < 3) {
        WatchEvent<Pod> e = w.next();
        assertNotNull(e);
        if (e.type() != WatchEvent.Type.BOOKMARK) seen.add(e.type() + " " + e.object().metadata.name);
      }
      assertEquals(List.of("ADDED a", "MODIFIED a", "DELETED a"), seen);
    }
  }

  @Test void aWatchFromACompactedVersionEndsWith410() throws Exception {
    String ns = cluster.namespace("gone");
    PodClient pods = cluster.admin.pods(ns);
    Pod p = pods.create(Cluster.pod(ns, "old"));
    pods.patch("old", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"v\":\"2\"}}}");
    cluster.compactHistory();
    ApiException.Gone gone;
    try (Watch<Pod> w = pods.watch(ListOptions.ALL.withResourceVersion(p.metadata.resourceVersion))) {
      WatchEvent<Pod> e = w.next();
      assertEquals(WatchEvent.Type.ERROR, e.type());
      gone = assertInstanceOf(ApiException.Gone.class, e.error());
    } catch (ApiException.Gone g) {
      gone = g;
    }
    assertEquals(410, gone.code());
    assertTrue(gone.statusMessage().contains("too old resource version"), gone.statusMessage());
  }

  @Test void genericResourcesRoundTripAsUnstructured() {
    String ns = cluster.namespace("generic");
    var cms = cluster.admin.resource("", "v1", "configmaps", Unstructured.class).inNamespace(ns);
    Unstructured cm = new Unstructured("v1", "ConfigMap");
    cm.metadata.name = "settings";
    cm.set("data", Map.of("color", "blue"));
    cms.create(cm);
    Unstructured got = cms.get("settings");
    assertEquals(Map.of("color", "blue"), got.map("data"));
    var deploys = cluster.admin.resource("apps", "v1", "deployments", Unstructured.class).inNamespace(ns);
    assertEquals(0, deploys.list().items.size());
  }

  @Test void aClientCertificateAuthenticatesAndRbacForbidsAUserWithoutRoles(@TempDir Path dir) throws Exception {
    CertKey cert = Pki.client(cluster.api.ca(), "cert-admin", List.of("system:masters"));
    // PKCS#8, as kubectl reads it (CertKey.keyPem() writes SEC1 without the curve, which kubectl rejects)
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.key().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    KubeClient viaCert = KubeClient.create(ClientConfig.builder(cluster.api.url()).caPem(cluster.api.caPem())
        .clientCertificatePem(cert.certPem(), pkcs8).build());
    assertEquals("cert-node", viaCert.nodes().create(Cluster.node("cert-node")).metadata.name);

    KubeClient learner = KubeClient.create(cluster.userConfig("learner"));
    ApiException.Forbidden f = assertThrows(ApiException.Forbidden.class, () -> learner.pods("default").delete("x"));
    assertTrue(f.statusMessage().contains("User \"learner\" cannot delete resource \"pods\""), f.statusMessage());

    KubeClient nobody = KubeClient.create(ClientConfig.builder(cluster.api.url()).caPem(cluster.api.caPem())
        .bearerToken("not-a-token").build());
    assertThrows(ApiException.Unauthorized.class, () -> nobody.nodes().list());

    // the kubeconfig the server writes carries its CA inline; the client verifies the server with it
    Files.writeString(dir.resolve("kc"), Files.readString(cluster.api.kubeconfig()));
    assertEquals(cluster.api.url(), KubeConfig.load(dir.resolve("kc")).clientConfig(null).server().toString());
  }

  @Test void kubectlSeesWhatTheClientWroteAndTheClientSeesWhatKubectlWrote() throws Exception {
    Requires.command("kubectl");
    String ns = cluster.namespace("kubectl");
    PodClient pods = cluster.admin.pods(ns);
    Pod p = Cluster.pod(ns, "from-java");
    p.metadata.labels = Map.of("made-by", "kubelab-client");
    pods.create(p);
    String out = kubectl("get", "pods", "-n", ns, "-l", "made-by=kubelab-client", "-o", "jsonpath={.items[*].metadata.name}");
    assertEquals("from-java", out.trim());
    kubectl("label", "pod", "from-java", "-n", ns, "touched-by=kubectl");
    assertEquals("kubectl", pods.get("from-java").metadata.labels.get("touched-by"));
  }

  static String kubectl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", cluster.api.kubeconfig().toString()));
    cmd.addAll(List.of(args));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes());
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "kubectl hung");
    assertEquals(0, proc.exitValue(), String.join(" ", cmd) + " failed: " + out);
    return out;
  }
}
