package kubelab.apiserver.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.Json;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.store.KvStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Create, read, update, delete and list as kube-apiserver 1.32 does them, over HTTP. */
class CrudSemanticsTest {
  static TestApiServer api;
  static HttpTestClient http;
  static final String CMS = "/api/v1/namespaces/default/configmaps";

  @BeforeAll
  static void start() {
    api = TestApiServer.start();
    http = new HttpTestClient(api, api.adminToken());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String cm(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}},"
        + "\"data\":{\"a\":\"1\"}}";
  }

  static KvStore.KeyValue stored(String key) throws Exception {
    List<KvStore.KeyValue> kvs = api.store().range(KvStore.RangeRequest.key(key)).get().kvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  @Test
  void createSetsServerFieldsAndStoresJsonUnderTheRegistryKey() throws Exception {
    var r = http.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"},\"data\":{}}");
    assertEquals(201, r.code(), r.body());
    JsonNode meta = r.json().path("metadata");
    String name = meta.path("name").asText();
    assertTrue(name.matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    assertTrue(meta.path("uid").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    assertTrue(meta.path("creationTimestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    KvStore.KeyValue kv = stored("/registry/configmaps/default/" + name);
    assertNotNull(kv, "stored at /registry/configmaps/default/NAME");
    assertEquals(Long.toString(kv.modRevision()), meta.path("resourceVersion").asText(), "resourceVersion is the mod_revision");
    JsonNode onDisk = Json.MAPPER.readTree(new String(kv.value(), StandardCharsets.UTF_8));
    assertEquals("ConfigMap", onDisk.path("kind").asText());
    assertEquals(name, onDisk.path("metadata").path("name").asText());
  }

  @Test
  void errorsCarryKubernetesReasonsAndMessages() {
    assertEquals(201, http.post(CMS, cm("dup", "")).code());
    var r = http.post(CMS, cm("dup", ""));
    assertEquals(409, r.code());
    assertEquals("AlreadyExists", r.json().path("reason").asText());
    assertEquals("configmaps \"dup\" already exists", r.json().path("message").asText());
    assertEquals("dup", r.json().path("details").path("name").asText());
    assertEquals("configmaps", r.json().path("details").path("kind").asText());
    r = http.get(CMS + "/nope");
    assertEquals(404, r.code());
    assertEquals("NotFound", r.json().path("reason").asText());
    assertEquals("configmaps \"nope\" not found", r.json().path("message").asText());
    r = http.post("/api/v1/namespaces/nowhere/configmaps", cm("x", ""));
    assertEquals(404, r.code());
    assertEquals("namespaces \"nowhere\" not found", r.json().path("message").asText());
    r = http.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}");
    assertEquals(422, r.code());
    assertEquals("Invalid", r.json().path("reason").asText());
    assertTrue(r.json().path("message").asText().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
        + "a lowercase RFC 1123 subdomain must consist of"), r.body());
    assertEquals("FieldValueInvalid", r.json().path("details").path("causes").get(0).path("reason").asText());
    assertEquals("metadata.name", r.json().path("details").path("causes").get(0).path("field").asText());
  }

  @Test
  void generationCountsSpecChangesOnly() throws Exception {
    String deploys = "/apis/apps/v1/namespaces/default/deployments";
    var r = http.post(deploys, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"gen\"},"
        + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1\"}]}}}}");
    assertEquals(201, r.code(), r.body());
    assertEquals(1, r.json().path("metadata").path("generation").asInt());
    r = http.patch(deploys + "/gen", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertEquals(1, r.json().path("metadata").path("generation").asInt(), "a label change is not a new generation");
    r = http.patch(deploys + "/gen", "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}");
    assertEquals(2, r.json().path("metadata").path("generation").asInt());
    r = http.patch(deploys + "/gen/status", "application/merge-patch+json", "{\"status\":{\"observedGeneration\":2}}");
    assertEquals(200, r.code(), r.body());
    assertEquals(2, r.json().path("metadata").path("generation").asInt(), "a status update is not a new generation");
    assertEquals(2, r.json().path("status").path("observedGeneration").asInt());
    r = http.patch(deploys + "/gen", "application/merge-patch+json", "{\"status\":{\"observedGeneration\":9}}");
    assertEquals(2, r.json().path("status").path("observedGeneration").asInt(), "the main resource ignores status");
  }

  @Test
  void listPagesWithLimitAndContinueAtOneRevision() throws Exception {
    String ns = "/api/v1/namespaces/paging/configmaps";
    assertEquals(201, http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"paging\"}}").code());
    for (int i = 0; i < 5; i++) assertEquals(201, http.post(ns, cm("p" + i, "\"page\":\"y\",\"n\":\"" + (i % 2) + "\"")).code());
    var page = http.get(ns + "?limit=2&labelSelector=page").json();
    assertEquals(2, page.path("items").size());
    assertTrue(page.path("metadata").path("remainingItemCount").isMissingNode(), "no count when a selector filters (as Kubernetes)");
    String rv = page.path("metadata").path("resourceVersion").asText();
    List<String> names = new ArrayList<>();
    page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    assertEquals(201, http.post(ns, cm("p9", "\"page\":\"y\"")).code(), "a write between pages is not seen by the paged list");
    String token = page.path("metadata").path("continue").asText();
    while (!token.isEmpty()) {
      page = http.get(ns + "?limit=2&labelSelector=page&continue=" + token).json();
      assertEquals(rv, page.path("metadata").path("resourceVersion").asText(), "every page is at the first page's revision");
      page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
      token = page.path("metadata").path("continue").asText();
    }
    assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), names);
    assertEquals(6, http.get(ns + "?labelSelector=page").json().path("items").size());
    JsonNode unfiltered = http.get("/api/v1/namespaces/default/configmaps?limit=1").json();
    assertTrue(unfiltered.path("metadata").path("remainingItemCount").asInt() > 0, unfiltered.toString());
    assertEquals(3, http.get(ns + "?labelSelector=n%3D0").json().path("items").size());
    assertEquals(1, http.get(ns + "?fieldSelector=metadata.name%3Dp3").json().path("items").size());
    assertEquals(2, http.get(ns + "?labelSelector=n%3D1&fieldSelector=metadata.name!%3Dp9").json().path("items").size());
    var del = http.send("DELETE", ns + "?labelSelector=n%3D0", null, null);
    assertEquals(200, del.code(), del.body());
    assertEquals("ConfigMapList", del.json().path("kind").asText());
    assertEquals(3, http.get(ns + "?labelSelector=page").json().path("items").size(), "deletecollection removed the selected ones");
  }

  @Test
  void finalizersHoldADeleteUntilTheyAreRemoved() {
    assertEquals(201, http.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\","
        + "\"finalizers\":[\"example.com/hold\"]}}").code());
    var r = http.delete(CMS + "/held");
    assertEquals(200, r.code(), r.body());
    JsonNode meta = http.get(CMS + "/held").json().path("metadata");
    assertFalse(meta.path("deletionTimestamp").isMissingNode(), "deletionTimestamp is set");
    assertEquals(0, meta.path("deletionGracePeriodSeconds").asInt());
    r = http.patch(CMS + "/held", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"late\":\"x\"}}}");
    assertEquals(200, r.code(), "updates are still allowed while terminating");
    r = http.patch(CMS + "/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":[\"example.com/new\"]}}");
    assertEquals(422, r.code(), "no new finalizers once deletion started");
    assertTrue(r.json().path("message").asText().endsWith("metadata.finalizers: Forbidden: no new finalizers can be added if the object "
        + "is being deleted, found new finalizers []string{\"example.com/new\"}"), r.body());
    r = http.patch(CMS + "/held", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}");
    assertEquals(200, r.code(), r.body());
    assertEquals(404, http.get(CMS + "/held").code(), "removing the last finalizer completes the delete");
  }

  @Test
  void eventsExpireThroughAStoreLeaseAsWithEventTtl() throws Exception {
    String ev = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"web.1\"},\"involvedObject\":{\"kind\":\"Pod\","
        + "\"name\":\"web\",\"namespace\":\"default\"},\"reason\":\"Scheduled\",\"message\":\"m\",\"type\":\"Normal\",\"count\":1}";
    assertEquals(201, http.post("/api/v1/namespaces/default/events", ev).code());
    KvStore.KeyValue kv = stored("/registry/events/default/web.1");
    assertTrue(kv.lease() != 0, "written with a lease");
    long ttl = api.store().leaseTimeToLive(kv.lease(), false).get().ttlSeconds();
    assertTrue(ttl > 3600 && ttl <= 3660, "an hour (--event-ttl=1h) plus the reuse window: " + ttl);
    assertEquals(200, http.patch("/api/v1/namespaces/default/events/web.1", "application/merge-patch+json", "{\"count\":2}").code());
    assertTrue(stored("/registry/events/default/web.1").lease() != 0, "an update keeps a lease");
    assertEquals(0, stored("/registry/configmaps/default/" + http.post(CMS, cm("no-ttl", "")).json().path("metadata").path("name").asText())
        .lease(), "other kinds have none");
  }

  @Test
  void preconditionsOnDelete() {
    var created = http.post(CMS, cm("pre", "")).json();
    var r = http.send("DELETE", CMS + "/pre", "application/json",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"wrong\"}}");
    assertEquals(409, r.code());
    assertTrue(r.json().path("message").asText().contains("Precondition failed: UID in precondition: wrong, UID in object meta: "
        + created.path("metadata").path("uid").asText()), r.body());
    r = http.send("DELETE", CMS + "/pre", "application/json",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\""
            + created.path("metadata").path("resourceVersion").asText() + "\"}}");
    assertEquals(200, r.code(), r.body());
  }

  @Test
  void podDeletionOfAnUnboundPodIsImmediateAndABoundOneIsGraceful() throws Exception {
    String pods = "/api/v1/namespaces/default/pods";
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]%s}}";
    assertEquals(201, http.post(pods, String.format(pod, "free", "")).code());
    assertEquals(200, http.delete(pods + "/free").code());
    assertEquals(404, http.get(pods + "/free").code());
    var r = http.post(pods, String.format(pod, "bound", ",\"nodeName\":\"node-1\""));
    assertEquals(201, r.code(), r.body());
    r = http.delete(pods + "/bound");
    assertEquals(200, r.code());
    JsonNode meta = http.get(pods + "/bound").json().path("metadata");
    assertEquals(30, meta.path("deletionGracePeriodSeconds").asInt(), "the kubelet of node-1 would finish it");
    r = http.send("DELETE", pods + "/bound?gracePeriodSeconds=0", null, null);
    assertEquals(200, r.code());
    assertEquals(404, http.get(pods + "/bound").code(), "--grace-period=0 --force removes it");
  }
}
