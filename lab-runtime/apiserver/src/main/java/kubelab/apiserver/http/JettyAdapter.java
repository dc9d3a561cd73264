package kubelab.apiserver.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The bridge from Jetty 12's core handler API to the API server's {@link ApiRequest} and
 * {@link ApiResponse}: everything above this class is independent of the HTTP library.
 *
 * <p>Complete responses are written asynchronously with Jetty's callback (the handler thread is
 * free as soon as the bytes are queued); streams (watches) use a blocking OutputStream and the
 * handler thread stays with the stream until it ends. Idle timeouts are ignored while a stream is
 * open: a watch may legitimately be silent for minutes, and a dead client is noticed at the
 * next write (an event or a bookmark) or when the watch times out.
 */
public final class JettyAdapter extends Handler.Abstract {
  /** What the adapter calls for every request; it may throw, the adapter then answers 500. */
  public interface Endpoint {
    void serve(ApiRequest request, ApiResponse response) throws Exception;
  }

  private final Endpoint endpoint;
  private final long maxBody;

  public JettyAdapter(Endpoint endpoint, long maxBody) {
    this.endpoint = endpoint;
    this.maxBody = maxBody;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    ApiRequest api = toApiRequest(request, maxBody);
    JettyResponse out = new JettyResponse(api, request, response, callback);
    try {
      endpoint.serve(api, out);
    } catch (Throwable t) {
      if (!out.done) {
        if (!response.isCommitted()) {
          Response.writeError(request, response, callback, 500, "internal error: " + t);
          return true;
        }
        callback.failed(t);
        return true;
      }
    }
    out.finish();
    return true;
  }

  /** Builds the library-independent view of a Jetty request. */
  public static ApiRequest toApiRequest(Request request, long maxBody) {
    AtomicBoolean gone = new AtomicBoolean();
    request.addFailureListener(t -> gone.set(true));
    Map<String, List<String>> query = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request);
    for (Fields.Field f : fields) query.put(f.getName(), f.getValues());
    X509Certificate[] certs = null;
    Object ssl = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (ssl instanceof EndPoint.SslSessionData d) certs = d.peerCertificates();
    String cl = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    long contentLength = -1;
    try {
      if (cl != null) contentLength = Long.parseLong(cl.trim());
    } catch (NumberFormatException ignored) {
      // Jetty rejects a malformed Content-Length before we get here
    }
    String path = request.getHttpURI().getDecodedPath();
    return new ApiRequest(request.getMethod(), path == null ? "/" : path, query,
        name -> request.getHeaders().getValuesList(name), Request.asInputStream(request),
        contentLength, certs, Request.getRemoteAddr(request), gone::get, maxBody);
  }

  private static final class JettyResponse implements ApiResponse {
    private final ApiRequest api;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private OutputStream stream;
    boolean done;

    JettyResponse(ApiRequest api, Request request, Response response, Callback callback) {
      this.api = api;
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    @Override
    public void header(String name, String value) {
      response.getHeaders().add(new HttpField(name, value));
    }

    @Override
    public void send(int status, String contentType, byte[] body) {
      if (done || stream != null) throw new IllegalStateException("response already sent");
      done = true;
      // The connection stays usable only if the request's body has been read to its end; if it
      // cannot be, say so, so that the client does not send its next request down a closing one.
      if (!api.drainRest()) response.getHeaders().put(HttpHeader.CONNECTION, "close");
      response.setStatus(status);
      if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      if (request.getMethod().equals("HEAD")) {
        response.write(true, null, callback);
      } else {
        response.write(true, ByteBuffer.wrap(body), callback);
      }
    }

    @Override
    public OutputStream startStream(int status, String contentType) throws IOException {
      if (done || stream != null) throw new IllegalStateException("response already sent");
      request.addIdleTimeoutListener(t -> false); // streams may be idle; see class comment
      response.setStatus(status);
      if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      // Commit the headers now (an empty chunk): clients such as fabric8 wait for them before
      // they consider a watch established, and a quiet watch may send nothing for minutes.
      try (org.eclipse.jetty.util.Blocker.Callback cb = org.eclipse.jetty.util.Blocker.callback()) {
        response.write(false, null, cb);
        cb.block();
      }
      stream = Content.Sink.asOutputStream(response);
      return stream;
    }

    @Override
    public boolean committed() {
      return done || stream != null;
    }

    void finish() {
      if (done) return;
      done = true;
      if (stream != null) {
        try {
          stream.close();
          callback.succeeded();
        } catch (IOException e) {
          callback.failed(e);
        }
      } else {
        // the endpoint answered nothing: a bug, but never leave the client hanging
        Response.writeError(request, response, callback, 500, "no response");
      }
    }
  }
}
