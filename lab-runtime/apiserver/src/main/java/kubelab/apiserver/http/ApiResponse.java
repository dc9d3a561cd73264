package kubelab.apiserver.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The answer to one request, independent of the HTTP library. A handler either calls
 * {@link #send} once, or {@link #startStream} once and then writes and flushes chunks (watch
 * streams: HTTP/1.1 chunked transfer encoding, one JSON event per line).
 */
public interface ApiResponse {
  void header(String name, String value);

  /** Sends a complete response with a Content-Length. */
  void send(int status, String contentType, byte[] body) throws IOException;

  /**
   * Sends the status line and headers without a length and returns the body stream; each
   * {@code flush()} pushes what was written to the client as one chunk.
   */
  OutputStream startStream(int status, String contentType) throws IOException;

  /** Whether headers were already sent (then errors can only end the stream). */
  boolean committed();
}
