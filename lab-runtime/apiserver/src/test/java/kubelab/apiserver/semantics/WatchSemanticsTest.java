package kubelab.apiserver.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.testing.TestApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watch as client-go's reflector relies on it: from a revision, in order, with selectors, bookmarks and 410. */
class WatchSemanticsTest {
  static TestApiServer api;
  static HttpTestClient http;

  @BeforeAll
  static void start() {
    api = TestApiServer.start();
    http = new HttpTestClient(api, api.adminToken());
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static String ns(String name) {
    assertEquals(201, http.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}").code());
    return "/api/v1/namespaces/" + name + "/configmaps";
  }

  static String cm(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}}}";
  }

  @Test
  void eventsFollowTheListRevisionInOrder() throws Exception {
    String cms = ns("w1");
    assertEquals(201, http.post(cms, cm("before", "\"t\":\"1\"")).code());
    String rv = http.get(cms + "?labelSelector=t").json().path("metadata").path("resourceVersion").asText();
    try (WatchStream w = new WatchStream(api, api.adminToken(), cms + "?watch=true&labelSelector=t&resourceVersion=" + rv)) {
      assertEquals(200, w.status);
      assertEquals(201, http.post(cms, cm("a", "\"t\":\"1\"")).code());
      assertEquals(200, http.patch(cms + "/a", "application/merge-patch+json", "{\"data\":{\"k\":\"v\"}}").code());
      assertEquals(200, http.delete(cms + "/a").code());
      List<String> seen = new ArrayList<>();
      long last = Long.parseLong(rv);
      for (int i = 0; i < 3; i++) {
        JsonNode e = w.nextNonBookmark();
        seen.add(e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText());
        long erv = Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText());
        assertTrue(erv > last, "revisions increase");
        last = erv;
      }
      assertEquals(List.of("ADDED a", "MODIFIED a", "DELETED a"), seen, "the object 'before' predates the watch");
    }
  }

  @Test
  void selectorTransitionsAreAddedAndDeleted() throws Exception {
    String cms = ns("w2");
    assertEquals(201, http.post(cms, cm("x", "\"app\":\"web\"")).code());
    String rv = http.get(cms).json().path("metadata").path("resourceVersion").asText();
    try (WatchStream w = new WatchStream(api, api.adminToken(), cms + "?watch=1&labelSelector=app%3Dweb&resourceVersion=" + rv)) {
      http.patch(cms + "/x", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"db\"}}}");
      JsonNode e = w.nextNonBookmark();
      assertEquals("DELETED", e.path("type").asText(), "leaving the selector is a DELETED event");
      assertEquals("web", e.path("object").path("metadata").path("labels").path("app").asText(),
          "with the previous state (the cacher's convertToWatchEvent)");
      String newRv = http.get(cms + "/x").json().path("metadata").path("resourceVersion").asText();
      assertEquals(newRv, e.path("object").path("metadata").path("resourceVersion").asText(), "but the event's revision");
      http.patch(cms + "/x", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
      assertEquals("ADDED", w.nextNonBookmark().path("type").asText(), "entering it is ADDED");
    }
  }

  @Test
  void aWatchWithoutAResourceVersionStartsWithTheCurrentObjects() throws Exception {
    String cms = ns("w3");
    assertEquals(201, http.post(cms, cm("one", "\"s\":\"1\"")).code());
    assertEquals(201, http.post(cms, cm("two", "\"s\":\"1\"")).code());
    try (WatchStream w = new WatchStream(api, api.adminToken(), cms + "?watch=true&labelSelector=s")) {
      assertEquals("ADDED one", w.next().path("type").asText() + " " + "one");
      assertEquals("ADDED", w.next().path("type").asText());
    }
    try (WatchStream w = new WatchStream(api, api.adminToken(),
        cms + "?watch=true&labelSelector=s&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")) {
      assertEquals("ADDED", w.next().path("type").asText());
      assertEquals("ADDED", w.next().path("type").asText());
      JsonNode b = w.next();
      assertEquals("BOOKMARK", b.path("type").asText(), "the initial events end with a bookmark");
      assertEquals("true", b.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText());
    }
  }

  @Test
  void aCompactedResourceVersionIsGone() throws Exception {
    String cms = ns("w4");
    assertEquals(201, http.post(cms, cm("old", "")).code());
    String oldRv = http.get(cms).json().path("metadata").path("resourceVersion").asText();
    for (int i = 0; i < 3; i++) assertEquals(201, http.post(cms, cm("n" + i, "")).code());
    long now = Long.parseLong(http.get(cms).json().path("metadata").path("resourceVersion").asText());
    api.store().compact(now).get();
    try (WatchStream w = new WatchStream(api, api.adminToken(), cms + "?watch=true&resourceVersion=" + oldRv)) {
      assertEquals(200, w.status, "the error comes as a watch event, as kube-apiserver sends it");
      JsonNode e = w.next();
      assertEquals("ERROR", e.path("type").asText());
      assertEquals(410, e.path("object").path("code").asInt());
      assertEquals("Expired", e.path("object").path("reason").asText());
      assertTrue(e.path("object").path("message").asText().startsWith("too old resource version: " + oldRv + " ("), e.toString());
    }
    var r = http.get(cms + "?resourceVersion=" + oldRv + "&resourceVersionMatch=Exact");
    assertEquals(410, r.code(), r.body());
    assertEquals("The resourceVersion for the provided list is too old.", r.json().path("message").asText(), "etcd3 store's wording");
  }

  @Test
  void watchesEndAtTimeoutSeconds() throws Exception {
    String cms = ns("w5");
    long start = System.nanoTime();
    try (WatchStream w = new WatchStream(api, api.adminToken(), cms + "?watch=true&timeoutSeconds=1&resourceVersion=0&labelSelector=none")) {
      assertEquals(null, w.poll(Duration.ofSeconds(3)));
    }
    assertTrue(System.nanoTime() - start < 10_000_000_000L);
  }
}
