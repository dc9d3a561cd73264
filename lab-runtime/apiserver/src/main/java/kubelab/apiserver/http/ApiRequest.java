package kubelab.apiserver.http;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kubelab.apiserver.ApiError;

/**
 * One HTTP request as the API server sees it, independent of the HTTP library: method, path,
 * query parameters, headers, the body (read at most once, with the 3 MiB limit Kubernetes
 * applies), the TLS client certificates and a way to learn that the client went away (watches).
 *
 * <p>Not thread-safe: one request is handled by one thread, except {@link #isGone()}, which a
 * streaming handler polls while the HTTP library may flip it from another thread.
 */
public final class ApiRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Function<String, List<String>> headers;
  private final InputStream body;
  private final long contentLength;
  private final X509Certificate[] peerCertificates;
  private final String remoteAddress;
  private final java.util.function.BooleanSupplier gone;
  private final long maxBody;
  private byte[] bodyBytes;

  public ApiRequest(String method, String path, Map<String, List<String>> query,
      Function<String, List<String>> headers, InputStream body, long contentLength,
      X509Certificate[] peerCertificates, String remoteAddress,
      java.util.function.BooleanSupplier gone, long maxBody) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.contentLength = contentLength;
    this.peerCertificates = peerCertificates;
    this.remoteAddress = remoteAddress;
    this.gone = gone;
    this.maxBody = maxBody;
  }

  public String method() { return method; }

  /** The decoded path, e.g. {@code /api/v1/namespaces/default/pods}. */
  public String path() { return path; }

  /** The first value of a query parameter, or null. */
  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public List<String> params(String name) {
    return query.getOrDefault(name, List.of());
  }

  public Map<String, List<String>> query() { return query; }

  /** The first value of a header (case-insensitive name), or null. */
  public String header(String name) {
    List<String> v = headers.apply(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public List<String> headers(String name) {
    List<String> v = headers.apply(name);
    return v == null ? List.of() : v;
  }

  /** The verified client certificate chain (empty without a client certificate). */
  public X509Certificate[] peerCertificates() {
    return peerCertificates == null ? new X509Certificate[0] : peerCertificates;
  }

  public String remoteAddress() { return remoteAddress; }

  /** True once the client has disconnected (or the connection failed). */
  public boolean isGone() { return gone.getAsBoolean(); }

  /**
   * The request body, read fully on first call.
   *
   * @throws ApiError 413 RequestEntityTooLarge beyond the limit ({@code Request entity too
   *     large: limit is 3145728}, as Kubernetes answers)
   */
  public byte[] body() {
    if (bodyBytes != null) return bodyBytes;
    if (contentLength > maxBody) throw drainedTooLarge();
    try {
      if (body == null) {
        bodyBytes = new byte[0];
        return bodyBytes;
      }
      byte[] b = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
      if (b.length > maxBody) throw drainedTooLarge();
      bodyBytes = b;
      return b;
    } catch (IOException e) {
      throw ApiError.badRequest("unable to read the request body: " + e.getMessage());
    }
  }

  /**
   * The 413 answer for a body over the limit, after discarding the rest of the body (up to {@link
   * #DRAIN_LIMIT}): a client that is still sending when the server answers and closes would
   * otherwise see a connection reset instead of the Status.
   */
  private ApiError drainedTooLarge() {
    if (body != null) {
      try {
        long left = DRAIN_LIMIT;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= n;
      } catch (IOException ignored) {
        // the client gave up; the Status may not reach it
      }
    }
    return ApiError.tooLarge(maxBody);
  }

  /**
   * Reads and discards what is left of the body (up to {@link #DRAIN_LIMIT}) before the answer
   * goes out; returns true if the body was read to its end. An answer given without reading the
   * body (415, 403, a 404 for a PATCH, ...) would otherwise leave bytes on the connection, and the
   * server would close a connection the client believes it may reuse: its next request fails
   * with no answer at all.
   */
  public boolean drainRest() {
    if (bodyBytes != null || body == null) return true;
    try {
      long left = DRAIN_LIMIT;
      byte[] sink = new byte[8 * 1024];
      int n;
      while (left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) left -= n;
      return left > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** How much of an oversized body is read and discarded before answering 413. */
  static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  /** The media type of the body without parameters ({@code application/json}), or null. */
  public String contentType() {
    String ct = header("Content-Type");
    if (ct == null) return null;
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase();
  }
}
