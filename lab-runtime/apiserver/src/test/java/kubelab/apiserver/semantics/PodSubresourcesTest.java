package kubelab.apiserver.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.rest.PodStreams;
import kubelab.apiserver.testing.TestApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pods/binding, pods/eviction, pods/log and pods/exec, and server-side tables. A test kubelet
 * registered for node "kubelet-node" answers logs and exec; "node-1" has none.
 */
class PodSubresourcesTest {
  static TestApiServer api;
  static HttpTestClient http;
  static final String PODS = "/api/v1/namespaces/default/pods";

  /** A kubelet for tests: logs are "line 1\nline 2\n"; exec echoes its command and stdin, then exits 0. */
  static final class EchoKubelet implements PodStreams.Kubelet {
    @Override
    public void logs(String namespace, String pod, String uid, String container, Map<String, String> options,
        OutputStream out, BooleanSupplier cancelled) throws IOException {
      out.write(("line 1 from " + namespace + "/" + pod + "/" + container + "\nline 2\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void stream(String kind, String namespace, String pod, String uid, String container, List<String> command,
        boolean stdin, boolean stdout, boolean stderr, boolean tty, PodStreams.StreamChannels ch) {
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      ch.onReceive((channel, data) -> {
        try {
          if (channel == 0) in.writeBytes(data);
          if (channel == 255 || (channel == 0 && new String(data, StandardCharsets.UTF_8).endsWith("\n"))) {
            ch.send(1, (String.join(" ", command) + ": " + in.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            ch.send(3, "{\"metadata\":{},\"status\":\"Success\"}".getBytes(StandardCharsets.UTF_8));
            ch.close();
          }
        } catch (IOException e) {
          ch.close();
        }
      });
    }
  }

  @BeforeAll
  static void start() {
    EchoKubelet k = new EchoKubelet();
    api = TestApiServer.builder().podStreams(node -> node.equals("kubelet-node") ? k : null).start();
    http = new HttpTestClient(api, api.adminToken());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static void createPod(String name, String node) {
    String nodeName = node == null ? "" : ",\"nodeName\":\"" + node + "\"";
    var r = http.post(PODS, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + name + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]" + nodeName + "}}");
    assertEquals(201, r.code(), r.body());
  }

  @Test
  void bindingAssignsANodeOnceAndRecordsPodScheduled() {
    createPod("bind-me", null);
    String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bind-me\"},\"target\":{\"kind\":\"Node\",\"name\":\"%s\"}}";
    var r = http.post(PODS + "/bind-me/binding", String.format(binding, "node-1"));
    assertEquals(201, r.code(), r.body());
    assertEquals("Success", r.json().path("status").asText());
    JsonNode pod = http.get(PODS + "/bind-me").json();
    assertEquals("node-1", pod.path("spec").path("nodeName").asText());
    JsonNode cond = pod.path("status").path("conditions").get(0);
    assertEquals("PodScheduled", cond.path("type").asText());
    assertEquals("True", cond.path("status").asText());
    r = http.post(PODS + "/bind-me/binding", String.format(binding, "node-2"));
    assertEquals(409, r.code());
    assertEquals("Operation cannot be fulfilled on pods/binding \"bind-me\": pod bind-me is already assigned to node \"node-1\"",
        r.json().path("message").asText());
  }

  @Test
  void evictionDeletesOrIsRefusedByABudget() {
    createPod("evict-me", null);
    String eviction = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"%s\"}}";
    var r = http.post(PODS + "/evict-me/eviction", String.format(eviction, "evict-me"));
    assertEquals(201, r.code(), r.body());
    assertEquals(404, http.get(PODS + "/evict-me").code());
    createPod("guarded", "node-1");
    http.patch(PODS + "/guarded/status", "application/merge-patch+json", "{\"status\":{\"phase\":\"Running\"}}");
    assertEquals(201, http.post("/apis/policy/v1/namespaces/default/poddisruptionbudgets", "{\"apiVersion\":\"policy/v1\","
        + "\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":\"pdb\"},\"spec\":{\"minAvailable\":1,"
        + "\"selector\":{\"matchLabels\":{\"app\":\"guarded\"}}}}").code());
    r = http.post(PODS + "/guarded/eviction", String.format(eviction, "guarded"));
    assertEquals(429, r.code(), r.body());
    assertEquals("TooManyRequests", r.json().path("reason").asText());
    assertEquals("Cannot evict pod as it would violate the pod's disruption budget.", r.json().path("message").asText());
    assertEquals("DisruptionBudget", r.json().path("details").path("causes").get(0).path("reason").asText());
  }

  @Test
  void logsComeFromTheNodesKubeletOr503() {
    createPod("logged", "kubelet-node");
    var r = http.get(PODS + "/logged/log");
    assertEquals(200, r.code(), r.body());
    assertEquals("line 1 from default/logged/web\nline 2\n", r.body());
    createPod("no-kubelet", "node-1");
    r = http.get(PODS + "/no-kubelet/log");
    assertEquals(503, r.code());
    assertTrue(r.json().path("message").asText().startsWith("no kubelet is running on node \"node-1\" yet"), r.body());
    createPod("unscheduled", null);
    r = http.get(PODS + "/unscheduled/log");
    assertEquals(200, r.code(), r.body());
    assertEquals("", r.body(), "no node, no location: an empty log (LogLocation returns nil for an unassigned pod)");
    r = http.get(PODS + "/logged/log?container=nope");
    assertEquals(400, r.code());
    assertEquals("container nope is not valid for pod logged", r.json().path("message").asText());
  }

  @Test
  void execOverWebSocketReachesTheKubelet() throws Exception {
    createPod("exec-me", "kubelet-node");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringBuilder status = new StringBuilder();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    HttpClient c = HttpClient.newBuilder().sslContext(api.sslContext()).build();
    WebSocket ws = c.newWebSocketBuilder().header("Authorization", "Bearer " + api.adminToken())
        .subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
        .buildAsync(URI.create(api.url().replace("https", "wss") + PODS + "/exec-me/exec?command=cat&command=-n&stdin=true&stdout=true"),
            new WebSocket.Listener() {
              private final ByteArrayOutputStream msg = new ByteArrayOutputStream();

              @Override
              public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                msg.writeBytes(b);
                if (last) {
                  byte[] m = msg.toByteArray();
                  msg.reset();
                  if (m[0] == 1) stdout.write(m, 1, m.length - 1);
                  if (m[0] == 3) status.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
                }
                w.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(code);
                return null;
              }

              @Override
              public void onError(WebSocket w, Throwable error) {
                closed.completeExceptionally(error);
              }
            }).get(10, TimeUnit.SECONDS);
    assertEquals("v5.channel.k8s.io", ws.getSubprotocol());
    ws.sendBinary(ByteBuffer.wrap("\u0000hello\n".getBytes(StandardCharsets.UTF_8)), true).get();
    assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
    assertEquals("cat -n: hello\n", stdout.toString(StandardCharsets.UTF_8));
    assertTrue(status.toString().contains("Success"));
  }

  @Test
  void execWithoutAKubeletIs503() throws Exception {
    createPod("exec-none", "node-1");
    HttpClient c = HttpClient.newBuilder().sslContext(api.sslContext()).build();
    try {
      c.newWebSocketBuilder().header("Authorization", "Bearer " + api.adminToken()).subprotocols("v5.channel.k8s.io")
          .buildAsync(URI.create(api.url().replace("https", "wss") + PODS + "/exec-none/exec?command=ls&stdout=true"),
              new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
      throw new AssertionError("the upgrade should be refused");
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
      var resp = ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse();
      assertEquals(503, resp.statusCode());
      assertTrue(String.valueOf(resp.body()).contains("no kubelet is running on node \\\"node-1\\\""), String.valueOf(resp.body()));
    }
  }

  @Test
  void tablesHaveKubectlsColumns() {
    createPod("tabled", null);
    var r = http.send("GET", PODS + "?labelSelector=app%3Dtabled", null, null);
    assertEquals(200, r.code());
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create(api.url() + PODS + "?labelSelector=app%3Dtabled"))
        .header("Authorization", "Bearer " + api.adminToken())
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
        .GET().build();
    try {
      var resp = http.http().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      JsonNode table = kubelab.api.Json.MAPPER.readTree(resp.body());
      assertEquals("Table", table.path("kind").asText());
      assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
      StringBuilder cols = new StringBuilder();
      for (JsonNode col : table.path("columnDefinitions")) {
        if (col.path("priority").asInt() == 0) cols.append(col.path("name").asText().toUpperCase()).append(' ');
      }
      assertEquals("NAME READY STATUS RESTARTS AGE ", cols.toString());
      StringBuilder wide = new StringBuilder();
      for (JsonNode col : table.path("columnDefinitions")) {
        if (col.path("priority").asInt() == 1) wide.append(col.path("name").asText().toUpperCase()).append(' ');
      }
      assertEquals("IP NODE NOMINATED NODE READINESS GATES ", wide.toString());
      JsonNode cells = table.path("rows").get(0).path("cells");
      assertEquals("tabled", cells.get(0).asText());
      assertEquals("0/1", cells.get(1).asText());
      assertEquals("Pending", cells.get(2).asText());
      assertEquals("0", cells.get(3).asText());
      assertEquals("<none>", cells.get(6).asText());
      assertEquals("PartialObjectMetadata", table.path("rows").get(0).path("object").path("kind").asText(),
          "includeObject defaults to Metadata");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
