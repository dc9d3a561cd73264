package kubelab.client;

/**
 * An open watch: a blocking stream of {@link WatchEvent}s (client-go's {@code watch.Interface},
 * pulled instead of read from a channel).
 *
 * <p>Contract, for every implementation (over HTTP, or the in-memory fake of the informer tests):
 * <ul>
 *   <li>{@link #next()} blocks for the next event and returns {@code null} when the stream ended
 *       cleanly: the server's {@code timeoutSeconds} ran out, or {@link #close()} was called;
 *   <li>a stream that breaks mid-way throws {@link KubeClientException} from {@code next()};
 *   <li>an {@code ERROR} event (typically 410 Expired) is returned as an event, and is the last one;
 *   <li>one thread calls {@code next()}; {@link #close()} may be called from any thread, is
 *       idempotent, and wakes a blocked {@code next()}, which then returns {@code null}.
 * </ul>
 * Objects in events are freshly decoded and belong to the receiver.
 */
public interface Watch<T> extends AutoCloseable {
  WatchEvent<T> next();

  @Override void close();

  boolean isClosed();
}
