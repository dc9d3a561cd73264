package kubelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.api.Json;
import kubelab.client.flowcontrol.Sleeper;
import kubelab.client.flowcontrol.TokenBucket;

/**
 * The HTTP layer under every {@link ResourceClient}: one JDK {@link HttpClient} per
 * {@link KubeClient}, forced to HTTP/1.1 so each watch is its own keep-alive connection and
 * short requests reuse pooled ones (the JDK pools idle HTTP/1.1 connections for 20 minutes).
 *
 * <p>Why the JDK's java.net.http and not OkHttp (fabric8) or Jetty's client: it needs no
 * dependency, speaks TLS with client certificates from an {@link javax.net.ssl.SSLContext},
 * streams chunked bodies as an {@link InputStream}, and keeps connections alive; that is all a
 * Kubernetes client needs for JSON over HTTP/1.1.
 *
 * <p>Every request first takes a token from the client-side {@link TokenBucket} (QPS/burst, as
 * client-go's rest client does), then sends; a 429 with Retry-After is retried up to
 * {@link Params#MAX_RETRIES_429} times, like client-go. An error status becomes an {@link ApiException}, a
 * transport failure a {@link KubeClientException}. Thread-safe; calls block the calling thread.
 */
final class Transport {
  private final ClientConfig config;
  private final HttpClient http;
  private final TokenBucket limiter;
  private final String authorization;
  private final AtomicLong requests = new AtomicLong();

  Transport(ClientConfig config) {
    this.config = config;
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(config.server().getScheme())) b.sslContext(Pem.sslContext(config));
    this.http = b.build();
    this.limiter = config.qps() > 0 ? new TokenBucket(config.qps(), config.burst(), config.clock()) : TokenBucket.unlimited();
    if (config.bearerToken() != null && !config.bearerToken().isEmpty()) {
      authorization = "Bearer " + config.bearerToken();
    } else if (config.username() != null) {
      authorization = "Basic " + Base64.getEncoder().encodeToString(
          (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
    } else {
      authorization = null;
    }
  }

  ClientConfig config() {
    return config;
  }

  /** Requests sent so far (after rate limiting), for tests and benchmarks. */
  long requestCount() {
    return requests.get();
  }

  private HttpRequest.Builder builder(String pathAndQuery, Duration timeout) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(config.server() + pathAndQuery))
        .header("Accept", "application/json")
        .header("User-Agent", config.userAgent());
    if (timeout != null) rb.timeout(timeout);
    if (authorization != null) rb.header("Authorization", authorization);
    return rb;
  }

  /**
   * Sends one request and returns the response body of a 2xx answer.
   *
   * @param body null for none
   * @throws ApiException for an error status
   * @throws KubeClientException if no answer came
   */
  byte[] request(String method, String pathAndQuery, byte[] body, String contentType) {
    for (int attempt = 0; ; attempt++) {
      HttpRequest.Builder rb = builder(pathAndQuery, config.requestTimeout());
      if (body != null) {
        rb.header("Content-Type", contentType == null ? "application/json" : contentType);
        rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      } else {
        rb.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> resp = send(rb.build(), HttpResponse.BodyHandlers.ofByteArray(), method, pathAndQuery);
      int code = resp.statusCode();
      if (code >= 200 && code < 300) return resp.body();
      ApiException e = error(code, resp.body(), resp.headers().firstValue("Retry-After").orElse(null));
      if (code == 429 && attempt < Params.MAX_RETRIES_429) {
        int wait = Math.max(1, e.retryAfterSeconds());
        sleep(Duration.ofSeconds(wait));
        continue;
      }
      throw e;
    }
  }

  /**
   * Opens a streaming GET (a watch): returns the body stream of a 2xx answer; the caller closes it.
   * The request timeout bounds the wait for the response headers only (the JDK does not apply it
   * to the body), so a quiet watch is not cut; the server's timeoutSeconds ends it.
   */
  InputStream stream(String pathAndQuery) {
    HttpRequest req = builder(pathAndQuery, config.requestTimeout()).GET().build();
    HttpResponse<InputStream> resp = send(req, HttpResponse.BodyHandlers.ofInputStream(), "GET", pathAndQuery);
    int code = resp.statusCode();
    if (code >= 200 && code < 300) return resp.body();
    byte[] errBody;
    try (InputStream in = resp.body()) {
      errBody = in.readNBytes(1 << 20);
    } catch (IOException io) {
      errBody = new byte[0];
    }
    throw error(code, errBody, resp.headers().firstValue("Retry-After").orElse(null));
  }

  private <B> HttpResponse<B> send(HttpRequest req, HttpResponse.BodyHandler<B> handler, String method, String path) {
    try {
      limiter.acquire(Sleeper.REAL);
      requests.incrementAndGet();
      return http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeClientException("interrupted: " + method + " " + path, e);
    } catch (ConnectException e) {
      throw new KubeClientException("cannot connect to " + config.server() + " (" + method + " " + path
          + "): connection refused; is the API server running? (lab cluster status)", e);
    } catch (IOException e) {
      throw new KubeClientException(method + " " + config.server() + path + ": " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof javax.net.ssl.SSLHandshakeException || e.getCause() instanceof javax.net.ssl.SSLHandshakeException) {
      return "TLS handshake failed (is the CA right, and does the server certificate cover this address?): " + m;
    }
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static void sleep(Duration d) {
    try {
      Sleeper.REAL.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeClientException("interrupted while waiting to retry", e);
    }
  }

  /** The exception for an error answer: from its Status body if it has one. */
  static ApiException error(int code, byte[] body, String retryAfter) {
    JsonNode status = null;
    try {
      JsonNode n = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
      if (n != null && "Status".equals(n.path("kind").asText())) status = n;
    } catch (IOException notJson) {
      // fall through with a plain message
    }
    if (status != null && retryAfter != null && !status.path("details").has("retryAfterSeconds")) {
      try {
        var details = ((com.fasterxml.jackson.databind.node.ObjectNode) status).withObject("/details");
        details.put("retryAfterSeconds", Integer.parseInt(retryAfter.trim()));
      } catch (NumberFormatException | UnsupportedOperationException ignored) {
        // an HTTP-date Retry-After: ignore it
      }
    }
    String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).trim();
    String fallback = switch (code) {
      case 404 -> "the server could not find the requested resource";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      default -> "the server responded with status " + code + (text.isEmpty() ? "" : ": " + text);
    };
    return ApiException.of(code, status, fallback);
  }
}
