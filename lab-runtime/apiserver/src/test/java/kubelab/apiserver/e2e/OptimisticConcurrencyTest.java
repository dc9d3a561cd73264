package kubelab.apiserver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kubelab.apiserver.HttpTestClient;
import kubelab.apiserver.testing.TestApiServer;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency: many clients read the same version of an object and all try to write
 * it back changed. For each version exactly one write wins (200); every other one gets 409
 * Conflict with Kubernetes' message, and nothing is lost or overwritten blindly.
 */
class OptimisticConcurrencyTest {
  static final int WRITERS = 16;
  static final int ROUNDS = Integer.getInteger("kubelab.concurrency.rounds", 10);

  @Test
  void exactlyOneWriterWinsPerResourceVersion() throws Exception {
    try (TestApiServer api = TestApiServer.start()) {
      HttpTestClient http = new HttpTestClient(api, api.adminToken());
      String path = "/api/v1/namespaces/default/configmaps/counter";
      assertEquals(201, http.post("/api/v1/namespaces/default/configmaps",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"counter\"},\"data\":{\"n\":\"0\"}}").code());
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      try {
        for (int round = 1; round <= ROUNDS; round++) {
          ObjectNode current = (ObjectNode) http.get(path).json();
          String rv = current.path("metadata").path("resourceVersion").asText();
          CountDownLatch go = new CountDownLatch(1);
          List<Future<HttpTestClient.Response>> fs = new ArrayList<>();
          for (int w = 0; w < WRITERS; w++) {
            ObjectNode mine = current.deepCopy();
            mine.with("data").put("n", Integer.toString(round));
            mine.with("data").put("writer", Integer.toString(w));
            fs.add(pool.submit(() -> {
              go.await();
              return http.put(path, mine.toString());
            }));
          }
          go.countDown();
          int ok = 0;
          int conflicts = 0;
          for (Future<HttpTestClient.Response> f : fs) {
            HttpTestClient.Response r = f.get();
            if (r.code() == 200) {
              ok++;
            } else {
              assertEquals(409, r.code(), r.body());
              assertEquals("Operation cannot be fulfilled on configmaps \"counter\": the object has been modified; "
                  + "please apply your changes to the latest version and try again", r.json().path("message").asText());
              conflicts++;
            }
          }
          assertEquals(1, ok, "round " + round + " from resourceVersion " + rv);
          assertEquals(WRITERS - 1, conflicts);
          assertEquals(Integer.toString(round), http.get(path).json().path("data").path("n").asText());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
