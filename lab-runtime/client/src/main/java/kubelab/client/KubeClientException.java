package kubelab.client;

/**
 * A request that did not get an answer from the API server: connection refused, TLS handshake
 * failure, a broken stream, an interrupted wait. Errors the server did answer with (a Status) are
 * {@link ApiException}s, a subclass. Unchecked, like client-go's errors are values the caller may
 * ignore at its peril.
 */
public class KubeClientException extends RuntimeException {
  public KubeClientException(String message) {
    super(message);
  }

  public KubeClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
