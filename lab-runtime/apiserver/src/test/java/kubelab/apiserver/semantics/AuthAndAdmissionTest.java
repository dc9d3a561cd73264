package kubelab.apiserver.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.testing.TestApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication, RBAC, impersonation and the admission chain, with Kubernetes' wording. */
class AuthAndAdmissionTest {
  static TestApiServer api;
  static HttpTestClient admin;
  static HttpTestClient learner;

  @BeforeAll
  static void start() {
    api = TestApiServer.builder().user("learner").start();
    admin = new HttpTestClient(api, api.adminToken());
    learner = new HttpTestClient(api, api.tokenFor("learner"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String ns(String name) {
    assertEquals(201, admin.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}").code());
    return "/api/v1/namespaces/" + name;
  }

  static String pod(String name, String containerExtra, String specExtra) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":"
        + "[{\"name\":\"web\",\"image\":\"nginx:1.27\"" + containerExtra + "}]" + specExtra + "}}";
  }

  @Test
  void badTokensAreUnauthorizedAndAnonymousIsForbidden() throws Exception {
    var r = new HttpTestClient(api, "not-a-token").get("/api/v1/pods");
    assertEquals(401, r.code());
    assertEquals("Unauthorized", r.json().path("reason").asText());
    r = new HttpTestClient(api, null).get("/api/v1/namespaces/default/pods");
    assertEquals(403, r.code());
    assertEquals("pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
        r.json().path("message").asText());
    assertEquals(200, new HttpTestClient(api, null).get("/version").code(), "/version is public (system:public-info-viewer)");
  }

  @Test
  void theLearnerMayReadButNotWrite() {
    assertEquals(200, learner.get("/api/v1/namespaces/default/pods").code());
    assertEquals(200, learner.get("/apis/apps/v1/deployments").code());
    var r = learner.post("/api/v1/namespaces/default/pods", pod("nope", "", ""));
    assertEquals(403, r.code());
    assertEquals("Forbidden", r.json().path("reason").asText());
    assertEquals("pods is forbidden: User \"learner\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"",
        r.json().path("message").asText());
    r = learner.get("/api/v1/namespaces/kube-system/secrets");
    assertEquals(403, r.code(), "secrets are not readable by the learner");
  }

  @Test
  void selfSubjectAccessReviewAnswersKubectlAuthCanI() {
    String review = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":"
        + "{\"namespace\":\"default\",\"verb\":\"%s\",\"resource\":\"pods\"}}}";
    var r = learner.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", String.format(review, "list"));
    assertEquals(201, r.code(), r.body());
    assertTrue(r.json().path("status").path("allowed").asBoolean());
    r = learner.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", String.format(review, "delete"));
    assertFalse(r.json().path("status").path("allowed").asBoolean());
    r = admin.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", String.format(review, "delete"));
    assertTrue(r.json().path("status").path("allowed").asBoolean());
  }

  @Test
  void impersonationActsAsTheOtherUser() throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(api.sslContext()).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces/default/configmaps"))
        .header("Authorization", "Bearer " + api.adminToken()).header("Impersonate-User", "learner")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"imp\"}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("User \\\"learner\\\" cannot create resource \\\"configmaps\\\""), r.body());
    r = c.send(HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces/default/pods"))
        .header("Authorization", "Bearer " + api.tokenFor("learner")).header("Impersonate-User", "admin").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode(), "the learner may not impersonate");
    assertTrue(r.body().contains("users \\\"admin\\\" is forbidden: User \\\"learner\\\" cannot impersonate resource \\\"users\\\""), r.body());
  }

  @Test
  void serviceAccountTokensAuthenticateUntilTheAccountIsGone() throws Exception {
    String base = ns("tokens");
    assertEquals(201, admin.post(base + "/serviceaccounts", "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\"}}").code());
    var r = admin.post(base + "/serviceaccounts/robot/token", "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
    assertEquals(201, r.code(), r.body());
    String token = r.json().path("status").path("token").asText();
    assertEquals(3, token.split("\\.").length, "a JWT");
    assertEquals(3600, r.json().path("spec").path("expirationSeconds").asInt());
    HttpTestClient robot = new HttpTestClient(api, token);
    var who = robot.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
    assertEquals(201, who.code(), who.body());
    JsonNode ui = who.json().path("status").path("userInfo");
    assertEquals("system:serviceaccount:tokens:robot", ui.path("username").asText());
    assertTrue(ui.path("groups").toString().contains("system:serviceaccounts:tokens"), ui.toString());
    var denied = robot.get(base + "/pods");
    assertEquals(403, denied.code());
    assertEquals("pods is forbidden: User \"system:serviceaccount:tokens:robot\" cannot list resource \"pods\" in API group \"\" "
        + "in the namespace \"tokens\"", denied.json().path("message").asText());
    r = admin.post(base + "/serviceaccounts/robot/token", "{\"kind\":\"TokenRequest\",\"spec\":{\"expirationSeconds\":60}}");
    assertEquals(422, r.code());
    assertTrue(r.json().path("message").asText().contains("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"),
        r.body());
    assertEquals(404, admin.post(base + "/serviceaccounts/nobody/token", "{\"kind\":\"TokenRequest\",\"spec\":{}}").code());
    assertEquals(200, admin.delete(base + "/serviceaccounts/robot").code());
    assertEquals(401, robot.get(base + "/pods").code(), "the token dies with its service account");
    assertEquals(401, new HttpTestClient(api, token.substring(0, token.length() - 4) + "AAAA").get("/api").code(), "a forged signature");
  }

  @Test
  void podsGetDefaultsServiceAccountTolerationsAndPriority() {
    String pods = ns("adm") + "/pods";
    JsonNode p = null;
    for (int i = 0; i < 50; i++) { // the default ServiceAccount appears just after the namespace
      var r = admin.post(pods, pod("p1", "", ",\"priorityClassName\":\"system-cluster-critical\""));
      if (r.code() == 201) {
        p = r.json();
        break;
      }
    }
    assertTrue(p != null);
    JsonNode spec = p.path("spec");
    assertEquals("default", spec.path("serviceAccountName").asText());
    assertTrue(spec.path("volumes").get(0).path("name").asText().startsWith("kube-api-access-"));
    assertEquals("/var/run/secrets/kubernetes.io/serviceaccount",
        spec.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText());
    assertEquals(2000000000, spec.path("priority").asInt());
    assertEquals("PreemptLowerPriority", spec.path("preemptionPolicy").asText());
    assertEquals("IfNotPresent", spec.path("containers").get(0).path("imagePullPolicy").asText());
    assertEquals(2, spec.path("tolerations").size());
    assertEquals("node.kubernetes.io/not-ready", spec.path("tolerations").get(0).path("key").asText());
    assertEquals(300, spec.path("tolerations").get(1).path("tolerationSeconds").asInt());
    var r = admin.post(pods, pod("p2", "", ",\"priorityClassName\":\"nope\""));
    assertEquals(403, r.code());
    assertEquals("pods \"p2\" is forbidden: no PriorityClass with name nope was found", r.json().path("message").asText());
  }

  @Test
  void limitRangeDefaultsAndQuotaWording() throws Exception {
    String base = ns("quota");
    assertEquals(201, admin.post(base + "/limitranges", "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"lr\"},"
        + "\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\"},\"defaultRequest\":{\"cpu\":\"250m\"},"
        + "\"max\":{\"cpu\":\"1\"}}]}}").code());
    assertEquals(201, admin.post(base + "/resourcequotas", "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"compute\"},"
        + "\"spec\":{\"hard\":{\"requests.cpu\":\"600m\",\"pods\":\"5\"}}}").code());
    HttpTestClient.Response r = null;
    for (int i = 0; i < 50; i++) {
      r = admin.post(base + "/pods", pod("a", "", ""));
      if (r.code() != 403 || !r.body().contains("serviceaccount")) break;
      Thread.sleep(100);
    }
    assertEquals(201, r.code(), r.body());
    JsonNode res = r.json().path("spec").path("containers").get(0).path("resources");
    assertEquals("500m", res.path("limits").path("cpu").asText());
    assertEquals("250m", res.path("requests").path("cpu").asText());
    assertEquals("LimitRanger plugin set: cpu request for container web; cpu limit for container web",
        r.json().path("metadata").path("annotations").path("kubernetes.io/limit-ranger").asText());
    assertEquals(201, admin.post(base + "/pods", pod("b", "", "")).code());
    r = admin.post(base + "/pods", pod("c", "", ""));
    assertEquals(403, r.code());
    assertEquals("pods \"c\" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, "
        + "limited: requests.cpu=600m", r.json().path("message").asText());
    r = admin.post(base + "/pods", pod("d", ",\"resources\":{\"limits\":{\"cpu\":\"2\"}}", ""));
    assertEquals(403, r.code());
    assertEquals("pods \"d\" is forbidden: maximum cpu usage per Container is 1, but limit is 2", r.json().path("message").asText());
    JsonNode q = admin.get(base + "/resourcequotas/compute").json();
    assertEquals("500m", q.path("status").path("used").path("requests.cpu").asText());
    assertEquals("2", q.path("status").path("used").path("pods").asText());
  }

  @Test
  void namespaceLifecycleRefusesCreatesInATerminatingNamespace() throws Exception {
    String base = ns("doomed");
    assertEquals(201, admin.post(base + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\","
        + "\"finalizers\":[\"example.com/hold\"]}}").code());
    assertEquals(200, admin.delete(base).code());
    var r = admin.post(base + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\"}}");
    assertEquals(403, r.code());
    assertEquals("configmaps \"y\" is forbidden: unable to create new content in namespace doomed because it is being terminated",
        r.json().path("message").asText());
    assertEquals("Terminating", admin.get(base).json().path("status").path("phase").asText());
    admin.patch(base + "/configmaps/x", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}");
    int code = 200;
    for (int i = 0; i < 100 && code != 404; i++) {
      Thread.sleep(100);
      code = admin.get(base).code();
    }
    assertEquals(404, code, "the namespace goes once it is empty");
  }
}
