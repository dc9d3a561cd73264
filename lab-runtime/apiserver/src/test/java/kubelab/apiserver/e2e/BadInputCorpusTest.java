package kubelab.apiserver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.testing.TestApiServer;
import kubelab.store.KvStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A corpus of bad requests (malformed YAML and JSON, wrong kinds, invalid names, missing required
 * fields, wrong types, unknown fields, huge bodies, bad patches, bad selectors): every answer must
 * be a 4xx Status object whose message names the problem, never a 5xx, and the store must be
 * exactly as it was (same revision).
 */
class BadInputCorpusTest {
  static TestApiServer api;
  static HttpTestClient http;

  @BeforeAll
  static void start() {
    api = TestApiServer.start();
    http = new HttpTestClient(api, api.adminToken());
    var r = http.post("/api/v1/namespaces/default/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\"},\"data\":{\"a\":\"1\"}}");
    assertEquals(201, r.code(), r.body());
  }

  @AfterAll
  static void stop() {
    if (api != null) api.close();
  }

  /** One bad request: what is sent, the code expected and a fragment the message must contain. */
  record Case(String name, String method, String path, String contentType, String body, int code, String mustMention) {}

  static final String PODS = "/api/v1/namespaces/default/pods";
  static final String CMS = "/api/v1/namespaces/default/configmaps";
  static final String DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";

  static List<Case> corpus() {
    List<Case> c = new ArrayList<>();
    String json = "application/json";
    String yaml = "application/yaml";
    c.add(new Case("malformed JSON", "POST", PODS, json, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",", 400, "json parse error"));
    c.add(new Case("JSON that is not an object", "POST", PODS, json, "[1,2,3]", 400, "cannot unmarshal array"));
    c.add(new Case("empty body", "POST", PODS, json, "", 400, "Object 'Kind' is missing"));
    c.add(new Case("malformed YAML", "POST", PODS, yaml, "apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n", 400, "yaml"));
    c.add(new Case("YAML tab indentation", "POST", PODS, yaml, "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", 400, "yaml"));
    c.add(new Case("wrong kind for the endpoint", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"}}", 400, "Service"));
    c.add(new Case("wrong apiVersion for the endpoint", "POST", PODS, json,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}", 400, "apps/v1"));
    c.add(new Case("invalid name", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Not_Valid\"}}", 422, "metadata.name"));
    c.add(new Case("name too long", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + "a".repeat(254) + "\"}}", 422, "must be no more than 253 characters"));
    c.add(new Case("no name", "POST", CMS, json, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}", 422,
        "metadata.name: Required value: name or generateName is required"));
    c.add(new Case("missing containers", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{}}", 422, "spec.containers: Required value"));
    c.add(new Case("missing image", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}",
        422, "spec.containers[0].image: Required value"));
    c.add(new Case("container port out of range", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\","
            + "\"ports\":[{\"containerPort\":70000}]}]}}", 422, "spec.containers[0].ports[0].containerPort: Invalid value: 70000"));
    c.add(new Case("requests above limits", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\","
            + "\"resources\":{\"requests\":{\"cpu\":\"2\"},\"limits\":{\"cpu\":\"1\"}}}]}}", 422, "must be less than or equal to cpu limit of 1"));
    c.add(new Case("wrong type: string replicas", "POST", DEPLOYS, json,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":\"three\"}}",
        400, "DeploymentSpec.spec.replicas of type int32"));
    c.add(new Case("bad quantity", "POST", PODS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\","
            + "\"resources\":{\"limits\":{\"memory\":\"lots\"}}}]}}", 400, "quantities must match the regular expression"));
    c.add(new Case("selector does not match template", "POST", DEPLOYS, json,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}}}",
        422, "spec.template.metadata.labels"));
    c.add(new Case("unknown field with Strict validation", "POST", PODS + "?fieldValidation=Strict", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"imagee\":\"x\"}]}}",
        400, "unknown field \"spec.containers[0].imagee\""));
    c.add(new Case("duplicate field with Strict validation", "POST", CMS + "?fieldValidation=Strict", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dup\",\"name\":\"dup2\"}}", 400, "duplicate field \"name\""));
    c.add(new Case("resourceVersion on create", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"rv\",\"resourceVersion\":\"5\"}}", 400, "resourceVersion"));
    c.add(new Case("already exists", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\"}}", 409, "configmaps \"existing\" already exists"));
    c.add(new Case("namespace mismatch", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}", 400, "namespace"));
    c.add(new Case("namespace that does not exist", "POST", "/api/v1/namespaces/nope/configmaps", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", 404, "namespaces \"nope\" not found"));
    c.add(new Case("huge body", "POST", CMS, json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}",
        413, "Request entity too large: limit is 3145728"));
    c.add(new Case("update with a stale resourceVersion", "PUT", CMS + "/existing", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"existing\",\"resourceVersion\":\"1\"},\"data\":{\"a\":\"2\"}}",
        409, "the object has been modified"));
    c.add(new Case("update with another name", "PUT", CMS + "/existing", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}", 400, "does not match the name on the URL"));
    c.add(new Case("update of a missing object", "PUT", CMS + "/missing", json,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"missing\"}}", 404, "configmaps \"missing\" not found"));
    c.add(new Case("malformed merge patch", "PATCH", CMS + "/existing", "application/merge-patch+json", "{not json", 400, "patch"));
    c.add(new Case("JSON patch that is not a list", "PATCH", CMS + "/existing", "application/json-patch+json", "{}", 400, "jsonpatch"));
    c.add(new Case("failed JSON patch test", "PATCH", CMS + "/existing", "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"nope\"}]", 422, "testing value /data/a failed"));
    c.add(new Case("strategic patch without the merge key", "PATCH", DEPLOYS + "/none", "application/strategic-merge-patch+json",
        "{}", 404, "deployments.apps \"none\" not found"));
    c.add(new Case("unsupported patch type", "PATCH", CMS + "/existing", "text/plain", "{}", 415, "application/merge-patch+json"));
    c.add(new Case("patch that makes the object invalid", "PATCH", CMS + "/existing", "application/merge-patch+json",
        "{\"data\":{\"bad key\":\"x\"}}", 422, "data[bad key]"));
    c.add(new Case("bad label selector", "GET", PODS + "?labelSelector=a%20b", null, null, 400, "found 'b'"));
    c.add(new Case("unsupported field selector", "GET", PODS + "?fieldSelector=spec.image%3Dx", null, null, 400,
        "field label not supported: spec.image"));
    c.add(new Case("bad continue token", "GET", PODS + "?limit=1&continue=garbage", null, null, 400, "continue key is not valid"));
    c.add(new Case("unknown resource", "GET", "/api/v1/namespaces/default/widgets", null, null, 404,
        "the server could not find the requested resource"));
    c.add(new Case("verb the resource does not serve", "DELETE", "/api/v1/namespaces", null, null, 405,
        "the server does not allow this method"));
    c.add(new Case("deleting a protected namespace", "DELETE", "/api/v1/namespaces/default", null, null, 403, "may not be deleted"));
    c.add(new Case("bad propagation policy", "DELETE", CMS + "/existing?propagationPolicy=Sideways", null, null, 422, "propagationPolicy"));
    c.add(new Case("bad protobuf body", "POST", CMS, "application/vnd.kubernetes.protobuf", "k8s\u0000\n\u00ff", 400, "protobuf"));
    return c;
  }

  @Test
  void everyBadRequestIsA4xxStatusNamingTheProblemAndTheStoreIsUnchanged() throws Exception {
    long before = revision();
    List<String> failures = new ArrayList<>();
    for (Case c : corpus()) {
      var r = http.send(c.method(), c.path(), c.contentType(), c.body());
      JsonNode s;
      try {
        s = r.json();
      } catch (AssertionError e) {
        failures.add(c.name() + ": not a Status: " + r.body());
        continue;
      }
      if (r.code() != c.code()) failures.add(c.name() + ": expected " + c.code() + ", got " + r.code() + " " + r.body());
      if (r.code() >= 500) failures.add(c.name() + ": a 5xx answer");
      if (!"Status".equals(s.path("kind").asText()) || !"Failure".equals(s.path("status").asText())
          || s.path("code").asInt() != r.code()) {
        failures.add(c.name() + ": not a Failure Status with the HTTP code: " + r.body());
      }
      if (!s.path("message").asText().contains(c.mustMention())) {
        failures.add(c.name() + ": message does not mention '" + c.mustMention() + "': " + s.path("message").asText());
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(before, revision(), "a rejected request must not change the store");
  }

  @Test
  void invalidObjectsCarryOneCausePerField() {
    var r = http.post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"Bad_Name\"},"
        + "\"spec\":{\"restartPolicy\":\"Sometimes\",\"containers\":[{\"name\":\"c\"}]}}");
    assertEquals(422, r.code());
    JsonNode s = r.json();
    assertEquals("Invalid", s.path("reason").asText());
    assertEquals("Pod", s.path("details").path("kind").asText());
    List<String> fields = new ArrayList<>();
    for (JsonNode cause : s.path("details").path("causes")) fields.add(cause.path("reason").asText() + " " + cause.path("field").asText());
    assertEquals(List.of("FieldValueInvalid metadata.name", "FieldValueRequired spec.containers[0].image",
        "FieldValueNotSupported spec.restartPolicy"), fields);
    assertTrue(s.path("message").asText().startsWith("Pod \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": "
        + "a lowercase RFC 1123 subdomain must consist of"), s.path("message").asText());
  }

  @Test
  void aConnectionStaysUsableAfterAnAnswerGivenWithoutReadingTheBody() {
    // 415 is decided from the headers alone; the body (large enough to arrive after them) must
    // still be consumed, or the server closes a connection the client goes on to reuse.
    String body = "{\"data\":{\"k\":\"" + "x".repeat(256 * 1024) + "\"}}";
    for (int i = 0; i < 50; i++) {
      assertEquals(415, http.send("PATCH", CMS + "/existing", "text/plain", body).code());
      assertEquals(200, http.send("GET", CMS + "/existing", null, null).code(), "request " + i + " after a 415");
    }
  }

  static long revision() throws Exception {
    return api.store().range(KvStore.RangeRequest.prefix("/registry/")).get().revision();
  }

}
