package kubelab.apiserver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import kubelab.apiserver.testing.TestApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second, independent client from Maven Central (fabric8 kubernetes-client) against the API
 * server: typed CRUD, optimistic concurrency and watch, through its own HTTP stack and model.
 */
class Fabric8ClientTest {
  static TestApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = TestApiServer.start();
    Config config = new ConfigBuilder(Config.empty()) // not ~/.kube/config
        .withMasterUrl(api.url())
        .withCaCertData(Base64.getEncoder().encodeToString(api.caPem().getBytes(StandardCharsets.UTF_8)))
        .withOauthToken(api.adminToken())
        .withNamespace("fabric8")
        .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fabric8").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (api != null) api.close();
  }

  @Test
  void createGetUpdateListAndDeleteAConfigMap() {
    ConfigMap cm = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("cfg")
        .addToLabels("app", "web").endMetadata().addToData("k", "v1").build()).create();
    assertNotNull(cm.getMetadata().getUid());
    assertNotNull(cm.getMetadata().getResourceVersion());
    ConfigMap got = client.configMaps().withName("cfg").get();
    assertEquals("v1", got.getData().get("k"));
    got.getData().put("k", "v2");
    ConfigMap updated = client.configMaps().resource(got).update();
    assertEquals("v2", updated.getData().get("k"));
    assertTrue(Long.parseLong(updated.getMetadata().getResourceVersion()) > Long.parseLong(got.getMetadata().getResourceVersion()));
    // A stale resourceVersion is a 409 with Kubernetes' message.
    got.getData().put("k", "stale");
    KubernetesClientException ex = assertThrows(KubernetesClientException.class, () -> client.configMaps().resource(got).update());
    assertEquals(409, ex.getCode());
    assertTrue(ex.getMessage().contains("the object has been modified; please apply your changes to the latest version and try again"),
        ex.getMessage());
    List<ConfigMap> byLabel = client.configMaps().withLabel("app", "web").list().getItems();
    assertEquals(1, byLabel.size());
    assertEquals(List.of(), client.configMaps().withLabel("app", "db").list().getItems());
    client.configMaps().withName("cfg").delete();
    assertNull(client.configMaps().withName("cfg").get());
  }

  @Test
  void aKubeconfigWithAClientCertificateAsKubeadmWritesItWorks() {
    var cert = kubelab.apiserver.pki.Pki.client(api.ca(), "kubernetes-admin", List.of("system:masters"));
    assertTrue(cert.keyPem().startsWith("-----BEGIN EC PRIVATE KEY-----"), "SEC1, as kubeadm writes ECDSA keys");
    String kubeconfig = kubelab.apiserver.pki.Kubeconfig.withCertificate("kubelab", api.url(), api.caPem(), "kubernetes-admin",
        cert.certPem(), cert.keyPem());
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      assertTrue(c.namespaces().withName("default").get() != null);
      assertEquals("kubernetes-admin", c.authentication().v1().selfSubjectReviews()
          .create(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder().build())
          .getStatus().getUserInfo().getUsername());
    }
  }

  @Test
  void deploymentsAreDefaultedAndScaled() {
    Deployment d = client.apps().deployments().resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    assertEquals(1, d.getSpec().getReplicas());
    assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
    assertEquals("IfNotPresent", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
    client.apps().deployments().withName("web").scale(4);
    assertEquals(4, client.apps().deployments().withName("web").get().getSpec().getReplicas());
  }

  @Test
  void watchDeliversAddedModifiedAndDeleted() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch w = client.pods().withLabel("watched", "yes").watch(new Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(action + " " + pod.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      client.pods().resource(new PodBuilder().withNewMetadata().withName("w").withLabels(Map.of("watched", "yes")).endMetadata()
          .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
      client.pods().withName("w").edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("a", "b").endMetadata().build());
      client.pods().withName("w").withGracePeriod(0).delete();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (events.size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
    }
    assertEquals(List.of("ADDED w", "MODIFIED w", "DELETED w"), events);
  }
}
