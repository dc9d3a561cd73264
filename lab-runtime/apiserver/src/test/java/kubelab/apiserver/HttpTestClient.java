package kubelab.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import kubelab.api.Json;
import kubelab.apiserver.testing.TestApiServer;

/** A tiny HTTP client for API server tests: JSON in, status and JSON out. */
public final class HttpTestClient {
  public record Response(int code, String body, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + code + "): " + body, e);
      }
    }
  }

  private final HttpClient http;
  private final String base;
  private final String token;

  public HttpTestClient(TestApiServer api, String token) {
    this.http = HttpClient.newBuilder().sslContext(api.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    this.base = api.url();
    this.token = token;
  }

  public Response send(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (contentType != null) b.header("Content-Type", contentType);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, "application/json", json);
  }

  public Response put(String path, String json) {
    return send("PUT", path, "application/json", json);
  }

  public Response patch(String path, String type, String body) {
    return send("PATCH", path, type, body);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public HttpClient http() {
    return http;
  }
}
