package kubelab.apiserver.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import kubelab.api.Json;
import kubelab.apiserver.ApiError;

/**
 * An object read from the store: its JSON tree (with metadata.resourceVersion set to the key's
 * mod revision, as Kubernetes does) and that revision as a number.
 *
 * <p>Read from the store, the tree is decoded only when first asked for ({@link #object()}); until
 * then {@link #json()} serves the stored bytes with the resourceVersion spliced in, which is how
 * a plain JSON list or get avoids decoding and re-encoding every object. The tree is the caller's
 * to change (every read decodes a fresh copy), except for objects from an {@link ObjectCache}.
 */
public final class Stored {
  private volatile ObjectNode object;
  private final byte[] raw; // stored JSON without resourceVersion, or null
  private final String key;
  private final long modRevision;

  public Stored(ObjectNode object, long modRevision) {
    this.object = object;
    this.raw = null;
    this.key = null;
    this.modRevision = modRevision;
  }

  private Stored(String key, byte[] raw, long modRevision) {
    this.raw = raw;
    this.key = key;
    this.modRevision = modRevision;
  }

  /** An object as stored under {@code key}, decoded on first use. */
  static Stored lazy(String key, byte[] raw, long modRevision) {
    return new Stored(key, raw, modRevision);
  }

  public long modRevision() {
    return modRevision;
  }

  /** The JSON tree (decoded now if it was not yet). */
  public ObjectNode object() {
    ObjectNode o = object;
    if (o == null) {
      try {
        o = (ObjectNode) Json.MAPPER.readTree(raw);
      } catch (IOException | ClassCastException e) {
        throw ApiError.internal("cannot decode " + key + " from the store: " + e.getMessage());
      }
      ObjectStore.setRv(o, modRevision);
      object = o;
    }
    return o;
  }

  /**
   * The object's JSON as a client gets it, without building the tree when it was not decoded:
   * the stored bytes with {@code "resourceVersion":"N"} first in the top-level metadata. Once the
   * tree exists (it may have been changed), the tree is serialized instead.
   */
  public byte[] json() {
    if (object == null && raw != null) {
      byte[] spliced = withResourceVersion(raw, modRevision);
      if (spliced != null) return spliced;
    }
    try {
      return Json.MAPPER.writeValueAsBytes(object());
    } catch (IOException e) {
      throw ApiError.internal("cannot encode " + key + ": " + e.getMessage());
    }
  }

  /**
   * Inserts {@code "resourceVersion":"rev"} at the start of the top-level {@code metadata} object
   * of a JSON document; null if the document has no such object. Objects are stored with
   * apiVersion, kind and metadata first ({@link ObjectStore#encode}), so this reads a few tokens.
   */
  static byte[] withResourceVersion(byte[] json, long rev) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals("metadata")) {
          if (v != JsonToken.START_OBJECT) return null;
          int at = (int) p.currentTokenLocation().getByteOffset() + 1; // just after '{'
          boolean empty = p.nextToken() == JsonToken.END_OBJECT;
          byte[] field = ("\"resourceVersion\":\"" + rev + "\"" + (empty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
          ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + field.length);
          out.write(json, 0, at);
          out.write(field, 0, field.length);
          out.write(json, at, json.length - at);
          return out.toByteArray();
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
