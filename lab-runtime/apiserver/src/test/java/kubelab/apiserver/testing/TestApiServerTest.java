package kubelab.apiserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import kubelab.apiserver.HttpTestClient;
import org.junit.jupiter.api.Test;

class TestApiServerTest {
  @Test
  void startsOnAFreePortWithTlsAnAdminTokenAndAKubeconfig() throws Exception {
    try (TestApiServer api = TestApiServer.builder().user("alice").start()) {
      assertTrue(api.url().startsWith("https://127.0.0.1:"), api.url());
      HttpTestClient admin = new HttpTestClient(api, api.adminToken());
      var ns = admin.get("/api/v1/namespaces");
      assertEquals(200, ns.code(), ns.body());
      assertTrue(ns.body().contains("\"kube-system\""), ns.body());
      String kubeconfig = Files.readString(api.kubeconfig());
      assertTrue(kubeconfig.contains("server: " + api.url()), kubeconfig);
      assertTrue(kubeconfig.contains("certificate-authority-data:"), kubeconfig);
      // RBAC applies to added users: alice has no bindings.
      HttpTestClient alice = new HttpTestClient(api, api.tokenFor("alice"));
      var denied = alice.get("/api/v1/namespaces/default/pods");
      assertEquals(403, denied.code(), denied.body());
      assertEquals("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
          denied.json().path("message").asText());
    }
  }

  @Test
  void anUnknownBearerTokenIsUnauthorized() {
    try (TestApiServer api = TestApiServer.start()) {
      var r = new HttpTestClient(api, "not-a-token").get("/api/v1/namespaces");
      assertEquals(401, r.code());
      assertEquals("Unauthorized", r.json().path("reason").asText());
    }
  }

  @Test
  void objectsAreStoredUnderRegistryKeysWithTheirModRevisionAsResourceVersion() {
    try (TestApiServer api = TestApiServer.start()) {
      HttpTestClient admin = new HttpTestClient(api, api.adminToken());
      var created = admin.post("/api/v1/namespaces/default/configmaps",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"k\":\"v\"}}");
      assertEquals(201, created.code(), created.body());
      var kv = api.store().range(kubelab.store.KvStore.RangeRequest.key("/registry/configmaps/default/cfg")).join();
      assertEquals(1, kv.kvs().size());
      assertEquals(Long.toString(kv.kvs().get(0).modRevision()),
          created.json().path("metadata").path("resourceVersion").asText());
      assertTrue(!new String(kv.kvs().get(0).value()).contains("resourceVersion"), "the revision is not stored in the value");
    }
  }
}
