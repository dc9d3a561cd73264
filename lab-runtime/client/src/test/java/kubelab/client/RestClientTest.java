package kubelab.client;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.core.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Wire-level behaviour of the REST client that a real API server cannot be made to show on
 * demand: events split across chunks, a stream cut mid-event, a clean end, Status bodies mapped to
 * exceptions, 429 retries, request paths and the client-side rate limit. The end-to-end tests
 * against the real API server are in the e2e package.
 */
class RestClientTest {
  RawHttpServer server;

  @AfterEach void stop() throws Exception {
    if (server != null) server.close();
  }

  KubeClient client(double qps, int burst) {
    return KubeClient.create(ClientConfig.builder(server.url()).bearerToken("t0ken").rateLimit(qps, burst).build());
  }

  static final String ADDED_A = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
      + "\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"resourceVersion\":\"11\"},\"spec\":{\"nodeName\":\"n1\"}}}\n";
  static final String BOOKMARK = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
      + "\"metadata\":{\"resourceVersion\":\"15\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n";
  static final String DELETED_A = "{\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
      + "\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"resourceVersion\":\"16\"}},\"type\":\"DELETED\"}\n";
  static final String EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
      + "\"status\":\"Failure\",\"message\":\"too old resource version: 5 (10)\",\"reason\":\"Expired\",\"code\":410}}\n";

  @Test void watchEventsDecodeWhateverTheChunkBoundaries() throws Exception {
    String all = ADDED_A + BOOKMARK + DELETED_A + EXPIRED;
    server = new RawHttpServer((line, headers, out, s) -> {
      RawHttpServer.chunkedHeaders(out);
      for (int i = 0; i < all.length(); i += 7) {  // 7-byte chunks cut through every token
        RawHttpServer.chunk(out, all.substring(i, Math.min(all.length(), i + 7)));
      }
      RawHttpServer.lastChunk(out);
    });
    try (Watch<Pod> w = client(0, 0).pods("default").watch(ListOptions.ALL.withResourceVersion("10").withBookmarks(true))) {
      WatchEvent<Pod> e = w.next();
      assertEquals(WatchEvent.Type.ADDED, e.type());
      assertEquals("n1", e.object().spec.nodeName);
      e = w.next();
      assertEquals(WatchEvent.Type.BOOKMARK, e.type());
      assertEquals("15", e.object().metadata.resourceVersion);
      e = w.next();
      assertEquals(WatchEvent.Type.DELETED, e.type(), "object before type still decodes");
      assertEquals("a", e.object().metadata.name);
      e = w.next();
      assertEquals(WatchEvent.Type.ERROR, e.type());
      assertInstanceOf(ApiException.Gone.class, e.error());
      assertEquals("too old resource version: 5 (10)", e.error().statusMessage());
      assertNull(w.next(), "clean end of stream");
    }
    assertEquals("GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=10&allowWatchBookmarks=true HTTP/1.1",
        server.requests.get(0));
  }

  @Test void aStreamCutMidEventThrowsInsteadOfEndingCleanly() throws Exception {
    server = new RawHttpServer((line, headers, out, s) -> {
      RawHttpServer.chunkedHeaders(out);
      RawHttpServer.chunk(out, ADDED_A);
      RawHttpServer.chunk(out, DELETED_A.substring(0, 30));
      s.close(); // no terminating chunk: the connection died
    });
    try (Watch<Pod> w = client(0, 0).pods().watch(ListOptions.ALL)) {
      assertEquals(WatchEvent.Type.ADDED, w.next().type());
      KubeClientException e = assertThrows(KubeClientException.class, w::next);
      assertFalse(e instanceof ApiException);
      assertTrue(e.getMessage().contains("watch stream broke"), e.getMessage());
    }
  }

  @Test void closeFromAnotherThreadWakesABlockedReader() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    server = new RawHttpServer((line, headers, out, s) -> {
      RawHttpServer.chunkedHeaders(out);
      hold.await(10, TimeUnit.SECONDS); // an idle watch
    });
    // a short request timeout: it bounds the wait for headers, never a quiet stream
    KubeClient c = KubeClient.create(ClientConfig.builder(server.url()).rateLimit(0, 0)
        .requestTimeout(Duration.ofMillis(200)).build());
    Watch<Pod> w = c.pods().watch(ListOptions.ALL);
    CountDownLatch returned = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      if (w.next() == null) returned.countDown();
    });
    reader.start();
    Thread.sleep(600);
    assertEquals(1, returned.getCount(), "the quiet stream must still be open after 3 request timeouts");
    w.close();
    assertTrue(returned.await(5, TimeUnit.SECONDS), "next() did not return null after close()");
    hold.countDown();
  }

  @Test void aServerThatNeverAnswersTimesOutInsteadOfHangingTheWatch() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    server = new RawHttpServer((line, headers, out, s) -> hold.await(10, TimeUnit.SECONDS)); // no headers, ever
    KubeClient c = KubeClient.create(ClientConfig.builder(server.url()).rateLimit(0, 0)
        .requestTimeout(Duration.ofMillis(300)).build());
    long t0 = System.nanoTime();
    KubeClientException e = assertThrows(KubeClientException.class, () -> c.pods().watch(ListOptions.ALL));
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "gave up within the request timeout");
    assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
    hold.countDown();
  }

  @Test void statusBodiesBecomeTypedExceptions() throws Exception {
    server = new RawHttpServer((line, headers, out, s) -> {
      if (line.contains("/pods/missing")) {
        RawHttpServer.respond(out, 404, "Not Found", "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"message\":\"pods \\\"missing\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"missing\",\"kind\":\"pods\"},\"code\":404}");
      } else if (line.startsWith("POST")) {
        RawHttpServer.respond(out, 409, "Conflict", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"web\\\" already exists\","
            + "\"reason\":\"AlreadyExists\",\"code\":409}");
      } else if (line.startsWith("PUT")) {
        RawHttpServer.respond(out, 409, "Conflict", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Operation cannot be fulfilled on pods \\\"web\\\": the object has been modified; please apply your changes to the latest version and try again\","
            + "\"reason\":\"Conflict\",\"code\":409}");
      } else if (line.startsWith("PATCH")) {
        RawHttpServer.respond(out, 422, "Unprocessable Entity", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Pod \\\"web\\\" is invalid\","
            + "\"reason\":\"Invalid\",\"details\":{\"causes\":[{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":\"spec.containers[0].image\"}]},\"code\":422}");
      } else if (line.startsWith("DELETE")) {
        RawHttpServer.respond(out, 403, "Forbidden", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"web\\\" is forbidden: User \\\"learner\\\" cannot delete resource \\\"pods\\\"\","
            + "\"reason\":\"Forbidden\",\"code\":403}");
      } else {
        RawHttpServer.respond(out, 500, "Internal Server Error", "oops, not json");
      }
    });
    PodClient pods = client(0, 0).pods("default");
    ApiException.NotFound nf = assertThrows(ApiException.NotFound.class, () -> pods.get("missing"));
    assertEquals("pods \"missing\" not found", nf.statusMessage());
    assertNull(pods.getOrNull("missing"));
    Pod p = new Pod();
    p.metadata.name = "web";
    assertThrows(ApiException.AlreadyExists.class, () -> pods.create(p));
    assertThrows(ApiException.Conflict.class, () -> pods.update(p));
    ApiException.Invalid inv = assertThrows(ApiException.Invalid.class, () -> pods.patch("web", PatchType.MERGE, "{}"));
    assertEquals(List.of(new ApiException.Cause("FieldValueRequired", "Required value", "spec.containers[0].image")), inv.causes());
    assertThrows(ApiException.Forbidden.class, () -> pods.delete("web"));
    ApiException.ServerError se = assertThrows(ApiException.ServerError.class, () -> pods.list());
    assertTrue(se.getMessage().contains("oops, not json"), se.getMessage());
  }

  @Test void tooManyRequestsIsRetriedAfterRetryAfter() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server = new RawHttpServer((line, headers, out, s) -> {
      if (calls.incrementAndGet() == 1) {
        RawHttpServer.respond(out, 429, "Too Many Requests", "{\"kind\":\"Status\",\"reason\":\"TooManyRequests\",\"message\":\"slow down\",\"code\":429}",
            "Retry-After: 1");
      } else {
        RawHttpServer.respond(out, 200, "OK", "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"node-1\"}}");
      }
    });
    long t0 = System.nanoTime();
    assertEquals("node-1", client(0, 0).nodes().get("node-1").metadata.name);
    assertEquals(2, calls.get());
    assertTrue(System.nanoTime() - t0 >= 900_000_000L, "waited the Retry-After second");
  }

  @Test void requestsCarryTheTokenAndUseTheRightPaths() throws Exception {
    List<String> auth = new java.util.concurrent.CopyOnWriteArrayList<>();
    server = new RawHttpServer((line, headers, out, s) -> {
      for (String h : headers) if (h.toLowerCase().startsWith("authorization:")) auth.add(h.substring(14).trim());
      if (line.contains("/binding")) {
        RawHttpServer.respond(out, 201, "Created", "{\"kind\":\"Status\",\"status\":\"Success\",\"code\":201}");
      } else {
        RawHttpServer.respond(out, 200, "OK", "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}");
      }
    });
    KubeClient c = client(0, 0);
    c.pods().list(ListOptions.labels("app=web").withFieldSelector("spec.nodeName=").withLimit(10));
    c.leases("kube-system").list();
    c.resource("apps", "v1", "deployments", Unstructured.class).inNamespace("prod").list();
    Pod p = new Pod();
    p.metadata.namespace = "default";
    p.metadata.name = "web-0";
    p.metadata.uid = "u1";
    c.pods("default").bind(p, "node-2");
    assertEquals(List.of(
        "GET /api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3D&limit=10 HTTP/1.1",
        "GET /apis/coordination.k8s.io/v1/namespaces/kube-system/leases HTTP/1.1",
        "GET /apis/apps/v1/namespaces/prod/deployments HTTP/1.1",
        "POST /api/v1/namespaces/default/pods/web-0/binding HTTP/1.1"), server.requests);
    assertEquals(List.of("Bearer t0ken", "Bearer t0ken", "Bearer t0ken", "Bearer t0ken"), auth);
    assertEquals(4, c.requestCount());
  }

  @Test void theClientSideRateLimitSpacesRequestsAfterTheBurst() throws Exception {
    server = new RawHttpServer((line, headers, out, s) ->
        RawHttpServer.respond(out, 200, "OK", "{\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}"));
    KubeClient limited = client(20, 2); // 2 at once, then one every 50 ms
    long t0 = System.nanoTime();
    for (int i = 0; i < 6; i++) limited.nodes().get("n");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.toMillis() >= 190, "4 requests beyond the burst at 20 qps need >= 200 ms, took " + took.toMillis());
    // (qps <= 0 meaning "no limit" is checked without wall-clock timing in FlowControlTest)
  }

  @Test void aKeepAliveConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
    java.util.Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();
    server = new RawHttpServer((line, headers, out, s) -> {
      ports.add(s.getPort());
      RawHttpServer.respond(out, 201, "Created", "{\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}");
      new Thread(() -> {
        try {
          Thread.sleep(200);
          s.close(); // the server's idle timeout (Jetty: 2 minutes in KubeLab) closes the kept-alive connection
        } catch (Exception ignored) {
          // closed
        }
      }).start();
    });
    KubeClient c = client(0, 0);
    kubelab.api.core.Node n = new kubelab.api.core.Node();
    n.metadata.name = "n";
    c.nodes().create(n);
    Thread.sleep(600);
    c.nodes().create(n); // a POST: must go out on a fresh connection, not fail on the dead one
    assertEquals(2, ports.size(), "two connections: the closed one was not reused");
  }

  @Test void aRefusedConnectionSaysWhatToCheck() throws Exception {
    server = new RawHttpServer((line, headers, out, s) -> {});
    String url = server.url();
    server.close();
    server = null;
    KubeClient c = KubeClient.create(ClientConfig.builder(url).build());
    KubeClientException e = assertThrows(KubeClientException.class, () -> c.nodes().list());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
  }
}
