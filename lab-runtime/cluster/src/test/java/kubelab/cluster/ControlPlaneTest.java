package kubelab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import kubelab.api.core.Node;
import kubelab.apiserver.pki.Pki;
import kubelab.client.ApiException;
import kubelab.client.KubeClient;
import kubelab.api.meta.ObjectMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane of `lab cluster up`: 3 Raft members with fsync, the API server, PKI and kubeconfigs. */
class ControlPlaneTest {
  static Node node(String name) {
    Node n = new Node();
    n.metadata = new ObjectMeta();
    n.metadata.name = name;
    return n;
  }

  @Test
  void startsThreeMembersWithOneLeaderAndServesEachUserItsRights(@TempDir Path dir) throws Exception {
    try (ControlPlane cp = ControlPlane.start(ClusterConfig.defaults(dir).onFreePorts(), line -> {})) {
      JsonNode comps = cp.status().path("components");
      int leaders = 0;
      int members = 0;
      for (JsonNode c : comps) {
        if (c.path("name").asText().startsWith("store/")) {
          members++;
          if (c.path("role").asText().equals("leader")) leaders++;
          assertEquals("ok", c.path("health").asText());
        }
      }
      assertEquals(3, members);
      assertEquals(1, leaders);
      for (String f : List.of("admin.conf", "super-admin.conf", "learner.conf", "scheduler.conf")) {
        assertTrue(Files.exists(dir.resolve(f)), f);
      }
      for (String f : List.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key")) assertTrue(Files.exists(dir.resolve("pki").resolve(f)), f);
      try (KubeClient admin = KubeClient.fromKubeconfig(cp.kubeconfig());
           KubeClient learner = KubeClient.fromKubeconfig(dir.resolve("learner.conf"))) {
        admin.nodes().create(node("node-1"));
        assertEquals("node-1", learner.nodes().get("node-1").metadata.name, "the learner reads");
        ApiException e = assertThrows(ApiException.class, () -> learner.nodes().create(node("node-2")));
        assertEquals(403, e.code());
        assertEquals("nodes is forbidden: User \"learner\" cannot create resource \"nodes\" in API group \"\" at the cluster scope",
            e.statusMessage());
        assertEquals(200, new AdminClient(cp.pki(), cp.url()).get("/kubelab/status").statusCode());
      }
    }
  }

  @Test
  void objectsSurviveARestart(@TempDir Path dir) throws Exception {
    ClusterConfig config = ClusterConfig.defaults(dir).onFreePorts();
    String rv;
    try (ControlPlane cp = ControlPlane.start(config, line -> {});
         KubeClient admin = KubeClient.fromKubeconfig(cp.kubeconfig())) {
      rv = admin.nodes().create(node("survivor")).metadata.resourceVersion;
    }
    try (ControlPlane cp = ControlPlane.start(config, line -> {});
         KubeClient admin = KubeClient.fromKubeconfig(cp.kubeconfig())) {
      assertEquals(rv, admin.nodes().get("survivor").metadata.resourceVersion, "same object, same revision, from the WAL");
    }
  }

  @Test
  void aCertificateWithoutTheAddressIsRejectedUntilRenewedWithAnExtraSan(@TempDir Path dir) throws Exception {
    ClusterConfig all = new ClusterConfig(dir, "0.0.0.0", 0, List.of(), 3, List.of());
    try (ControlPlane cp = ControlPlane.start(all, line -> {})) {
      int port = URI.create(cp.url()).getPort();
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(Pki.trustStore(cp.pki().ca().cert()));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(3)).build();
      HttpRequest version = HttpRequest.newBuilder(URI.create("https://127.0.0.5:" + port + "/version")).GET().build();
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> http.send(version, HttpResponse.BodyHandlers.ofString()));
      assertTrue(e.getMessage().contains("127.0.0.5"), e.getMessage());
      assertTrue(!cp.pki().sans().contains("127.0.0.5"));
      cp.pki().renewApiServer(List.of("127.0.0.5"));
      int code = 0;
      for (int i = 0; i < 50 && code != 200; i++) { // the API server reloads the certificate within seconds
        Thread.sleep(200);
        try {
          code = HttpClient.newBuilder().sslContext(ctx).build().send(version, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (SSLHandshakeException stillOld) {
          code = 0;
        }
      }
      assertEquals(200, code);
      assertTrue(cp.pki().sans().contains("127.0.0.5"));
      assertTrue(cp.pki().sans().contains("10.96.0.1"), "the kubernetes Service IP stays");
    }
  }
}
