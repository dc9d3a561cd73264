package kubelab.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import kubelab.api.Json;

/**
 * A watch over HTTP: a chunked HTTP response carrying one JSON {@code WatchEvent} after another
 * ({@code {"type":"ADDED","object":{...}}}), decoded as they arrive.
 *
 * <p>{@link #next()} blocks for the next event and returns {@code null} when the stream ended
 * cleanly: the server's {@code timeoutSeconds} ran out, or {@link #close()} was called. A stream
 * that breaks mid-way (the server died, the connection was cut) throws {@link KubeClientException}
 * instead, so a reflector can tell the two apart, though both end in a re-watch from the last
 * resourceVersion seen. An {@code ERROR} event (410 Expired, typically) is returned as an event;
 * the server closes the stream after it.
 *
 * <p>One thread reads; {@link #close()} may be called from any thread and wakes the reader.
 */
final class HttpWatch<T> implements Watch<T> {
  private final InputStream in;
  private JsonParser parser; // created on the first next(): creating it reads (and blocks for) the first bytes
  private final JavaType objectType;
  private final AtomicBoolean closed = new AtomicBoolean();

  HttpWatch(InputStream in, Class<T> type) {
    this.in = in;
    this.objectType = Json.MAPPER.constructType(type);
  }

  /**
   * The next event; blocks until one arrives. Returns null at the end of the stream.
   *
   * @throws KubeClientException if the stream broke or carried something that is not an event
   */
  @Override public WatchEvent<T> next() {
    try {
      if (parser == null) parser = Json.MAPPER.createParser(in);
      JsonToken t = parser.nextToken();
      if (t == null) return null;
      if (t != JsonToken.START_OBJECT) throw new KubeClientException("watch stream: expected an event object, got " + t);
      String type = null;
      T object = null;
      JsonNode raw = null;
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("type")) {
          type = parser.getText();
        } else if (field.equals("object")) {
          // The API server writes "type" first, so the object decodes straight into its class;
          // an ERROR's object is a Status and stays a tree.
          if (type != null && !type.equals("ERROR")) object = Json.MAPPER.readValue(parser, objectType);
          else raw = parser.readValueAsTree();
        } else {
          parser.skipChildren();
        }
      }
      if (type == null) throw new KubeClientException("watch stream: event without a type");
      WatchEvent.Type et;
      try {
        et = WatchEvent.Type.valueOf(type);
      } catch (IllegalArgumentException e) {
        throw new KubeClientException("watch stream: unknown event type " + type);
      }
      if (et == WatchEvent.Type.ERROR) {
        int code = raw == null ? 500 : raw.path("code").asInt(500);
        return new WatchEvent<>(et, null, ApiException.of(code, raw, "watch error"));
      }
      if (object == null && raw != null) object = Json.MAPPER.convertValue(raw, objectType);
      return new WatchEvent<>(et, object, null);
    } catch (IOException e) {
      if (closed.get()) return null;
      throw new KubeClientException("watch stream broke: " + e.getMessage(), e);
    }
  }

  /** Ends the watch and releases its connection. Idempotent; safe from any thread. */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      in.close();
    } catch (IOException ignored) {
      // closing a dead stream
    }
  }

  @Override public boolean isClosed() {
    return closed.get();
  }
}
