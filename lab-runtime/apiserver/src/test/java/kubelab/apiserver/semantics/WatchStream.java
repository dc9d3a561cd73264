package kubelab.apiserver.semantics;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kubelab.api.Json;
import kubelab.apiserver.testing.TestApiServer;

/** A chunked-HTTP watch in a test: events arrive in a queue, one JSON line each. */
final class WatchStream implements AutoCloseable {
  final int status;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private Stream<String> lines;

  WatchStream(TestApiServer api, String token, String pathAndQuery) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(api.sslContext()).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(api.url() + pathAndQuery))
        .header("Authorization", "Bearer " + token).GET().build();
    response = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> r = response.get(10, TimeUnit.SECONDS);
    status = r.statusCode();
    lines = r.body();
    Thread t = new Thread(() -> {
      try {
        lines.forEach(l -> {
          try {
            if (!l.isBlank()) events.add(Json.MAPPER.readTree(l));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      } catch (RuntimeException e) {
        // closed
      }
    }, "test-watch");
    t.setDaemon(true);
    t.start();
  }

  /** The next event, or fails after a timeout. */
  JsonNode next() throws InterruptedException {
    JsonNode e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) throw new AssertionError("no watch event within 10 s");
    return e;
  }

  /** The next event that is not a BOOKMARK. */
  JsonNode nextNonBookmark() throws InterruptedException {
    while (true) {
      JsonNode e = next();
      if (!e.path("type").asText().equals("BOOKMARK")) return e;
    }
  }

  /** Null if no event arrives within {@code d}. */
  JsonNode poll(Duration d) throws InterruptedException {
    return events.poll(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (lines != null) lines.close();
  }
}
