package kubelab.client;

/**
 * One event of a watch stream (metav1.WatchEvent): what happened and the object after it happened.
 *
 * <p>For DELETED the object is its last state. For BOOKMARK only {@code metadata.resourceVersion}
 * (and annotations) are set: the server saying "you are up to date as of this version". For ERROR
 * {@code object} is null and {@code error} holds the Status, typically 410 Expired ("too old
 * resource version"), after which the server ends the stream.
 *
 * <p>The object is freshly decoded and belongs to whoever receives the event.
 */
public record WatchEvent<T>(Type type, T object, ApiException error) {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}
