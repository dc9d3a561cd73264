package kubelab.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import kubelab.api.Json;

/**
 * Reads Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}) into the same
 * JSON tree a JSON body would give, driven by the {@link SchemaCatalog}'s field numbers.
 *
 * <p>kubectl's typed clients send protobuf: {@code kubectl create deployment|configmap|secret|...},
 * {@code kubectl auth can-i}, {@code kubectl create token}, evictions during {@code drain}. The
 * encoding is the magic {@code k8s\0} followed by a {@code runtime.Unknown} message (field 1 the
 * TypeMeta: apiVersion and kind; field 2 the object's own message). Go structs embedded inline in
 * JSON (Volume's VolumeSource, Probe's ProbeHandler) are nested messages on the wire; their
 * fields land in the enclosing JSON object. Scalars that Go always encodes (non-pointer fields)
 * are dropped when zero unless the schema marks the zero as meaningful, matching what JSON with
 * omitempty would carry. Fields the schema does not describe are skipped.
 *
 * <p>Stateless, thread-safe. Malformed input throws {@link ProtobufException}.
 */
public final class ProtobufDecoder {
  private ProtobufDecoder() {}

  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A malformed or unknown protobuf body. */
  public static final class ProtobufException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtobufException(String message) {
      super(message);
    }
  }

  public static boolean hasMagic(byte[] b) {
    if (b.length < 4) return false;
    for (int i = 0; i < 4; i++) if (b[i] != MAGIC[i]) return false;
    return true;
  }

  /** Decodes an enveloped object (magic + runtime.Unknown). */
  public static ObjectNode decode(byte[] data, SchemaCatalog catalog) {
    if (!hasMagic(data)) throw new ProtobufException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
    Reader r = new Reader(data, 4, data.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (r.more()) {
      long tag = r.varint();
      int n = (int) (tag >>> 3);
      int w = (int) (tag & 7);
      if (n == 1 && w == 2) {
        Reader tm = r.sub();
        while (tm.more()) {
          long t2 = tm.varint();
          int n2 = (int) (t2 >>> 3);
          if (n2 == 1) apiVersion = tm.string();
          else if (n2 == 2) kind = tm.string();
          else tm.skip((int) (t2 & 7));
        }
      } else if (n == 2 && w == 2) {
        raw = r.bytes();
      } else {
        r.skip(w);
      }
    }
    Schema s = catalog.forKind(apiVersion, kind).orElse(null);
    if (s == null) {
      throw new ProtobufException("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
    }
    ObjectNode out = F.objectNode();
    out.put("apiVersion", apiVersion);
    out.put("kind", kind);
    decodeInto(out, new Reader(raw, 0, raw.length), entries(s), 0);
    return out;
  }

  private record Entry(Field field, int[] path) {}

  private static List<Entry> entries(Schema s) {
    List<Entry> out = new ArrayList<>();
    for (Field f : s.fields().values()) if (f.proto().length > 0) out.add(new Entry(f, f.proto()));
    return out;
  }

  private static void decodeInto(ObjectNode out, Reader r, List<Entry> entries, int depth) {
    while (r.more()) {
      long tag = r.varint();
      int n = (int) (tag >>> 3);
      int w = (int) (tag & 7);
      Entry direct = null;
      List<Entry> nested = new ArrayList<>();
      for (Entry e : entries) {
        if (e.path().length > depth && e.path()[depth] == n) {
          if (e.path().length == depth + 1) direct = e;
          else nested.add(e);
        }
      }
      if (direct != null) {
        assign(out, direct.field(), r, w);
      } else if (!nested.isEmpty() && w == 2) {
        decodeInto(out, r.sub(), nested, depth + 1);
      } else {
        r.skip(w);
      }
    }
  }

  private static void assign(ObjectNode out, Field f, Reader r, int w) {
    Schema s = f.schema();
    String name = f.name();
    switch (s.type()) {
      case ARRAY -> {
        ArrayNode arr = out.has(name) && out.get(name).isArray() ? (ArrayNode) out.get(name) : out.putArray(name);
        Schema e = s.element();
        if (w == 2 && isVarint(e)) { // packed
          Reader p = r.sub();
          while (p.more()) arr.add(scalar(e, p, 0, true));
        } else {
          JsonNode v = value(e, r, w, true);
          if (v != null) arr.add(v);
        }
      }
      case MAP -> {
        ObjectNode map = out.has(name) && out.get(name).isObject() ? (ObjectNode) out.get(name) : out.putObject(name);
        Reader entry = r.sub();
        String key = "";
        JsonNode val = null;
        while (entry.more()) {
          long t = entry.varint();
          int en = (int) (t >>> 3);
          int ew = (int) (t & 7);
          if (en == 1 && ew == 2) key = entry.string();
          else if (en == 2) val = value(s.element(), entry, ew, true);
          else entry.skip(ew);
        }
        map.set(key, val == null ? zeroOf(s.element()) : val);
      }
      default -> {
        JsonNode v = value(s, r, w, f.keepZero());
        if (v != null) out.set(name, v);
      }
    }
  }

  private static boolean isVarint(Schema s) {
    return s.type() == Schema.Type.INT32 || s.type() == Schema.Type.INT64 || s.type() == Schema.Type.BOOLEAN;
  }

  private static JsonNode zeroOf(Schema s) {
    return switch (s.type()) {
      case STRING, BYTES, QUANTITY -> F.textNode("");
      case INT32, INT64 -> F.numberNode(0);
      case BOOLEAN -> F.booleanNode(false);
      default -> F.objectNode();
    };
  }

  /** One value of schema {@code s}; null when it should be left out. */
  private static JsonNode value(Schema s, Reader r, int w, boolean keepZero) {
    switch (s.type()) {
      case STRING, BYTES, INT32, INT64, BOOLEAN, NUMBER -> {
        return scalar(s, r, w, keepZero);
      }
      case QUANTITY -> {
        Reader q = r.sub();
        String v = "";
        while (q.more()) {
          long t = q.varint();
          if ((t >>> 3) == 1) v = q.string();
          else q.skip((int) (t & 7));
        }
        return v.isEmpty() && !keepZero ? null : F.textNode(v.isEmpty() ? "0" : v);
      }
      case INT_OR_STRING -> {
        Reader q = r.sub();
        long type = 0;
        long intVal = 0;
        String strVal = "";
        while (q.more()) {
          long t = q.varint();
          int n = (int) (t >>> 3);
          if (n == 1) type = q.varint();
          else if (n == 2) intVal = (int) q.varint();
          else if (n == 3) strVal = q.string();
          else q.skip((int) (t & 7));
        }
        return type == 1 ? F.textNode(strVal) : F.numberNode((int) intVal);
      }
      case TIME -> {
        Reader q = r.sub();
        long seconds = 0;
        long nanos = 0;
        while (q.more()) {
          long t = q.varint();
          int n = (int) (t >>> 3);
          if (n == 1) seconds = q.varint();
          else if (n == 2) nanos = q.varint();
          else q.skip((int) (t & 7));
        }
        if (seconds == 0 && nanos == 0) return null;
        Instant i = Instant.ofEpochSecond(seconds, nanos);
        return F.textNode((nanos == 0 ? i : i.truncatedTo(ChronoUnit.MICROS)).toString());
      }
      case ANY -> {
        Reader q = r.sub();
        byte[] raw = new byte[0];
        while (q.more()) {
          long t = q.varint();
          if ((t >>> 3) == 1) raw = q.bytes();
          else q.skip((int) (t & 7));
        }
        try {
          return raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
          return null;
        }
      }
      case OBJECT -> {
        if (s.definition() == null) {
          r.skip(w);
          return null;
        }
        ObjectNode o = F.objectNode();
        decodeInto(o, r.sub(), entries(s), 0);
        return o;
      }
      default -> {
        r.skip(w);
        return null;
      }
    }
  }

  private static JsonNode scalar(Schema s, Reader r, int w, boolean keepZero) {
    switch (s.type()) {
      case STRING -> {
        String v = r.string();
        return v.isEmpty() && !keepZero ? null : F.textNode(v);
      }
      case BYTES -> {
        byte[] b = r.bytes();
        return F.textNode(Base64.getEncoder().encodeToString(b));
      }
      case INT32 -> {
        int v = (int) r.varint();
        return v == 0 && !keepZero ? null : F.numberNode(v);
      }
      case INT64 -> {
        long v = r.varint();
        return v == 0 && !keepZero ? null : F.numberNode(v);
      }
      case BOOLEAN -> {
        boolean v = r.varint() != 0;
        return !v && !keepZero ? null : F.booleanNode(v);
      }
      case NUMBER -> {
        double d = w == 1 ? Double.longBitsToDouble(r.fixed64()) : r.varint();
        return d == 0 && !keepZero ? null : F.numberNode(d);
      }
      default -> {
        r.skip(w);
        return null;
      }
    }
  }

  /** A cursor over protobuf bytes. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) throw new ProtobufException("unexpected end of protobuf data");
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) return v;
      }
      throw new ProtobufException("malformed varint");
    }

    long fixed64() {
      if (pos + 8 > end) throw new ProtobufException("unexpected end of protobuf data");
      long v = 0;
      for (int i = 0; i < 8; i++) v |= (long) (b[pos++] & 0xff) << (8 * i);
      return v;
    }

    int length() {
      long n = varint();
      if (n < 0 || pos + n > end) throw new ProtobufException("invalid length in protobuf data");
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      byte[] out = new byte[n];
      System.arraycopy(b, pos, out, 0, n);
      pos += n;
      return out;
    }

    String string() {
      int n = length();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    Reader sub() {
      int n = length();
      Reader r = new Reader(b, pos, pos + n);
      pos += n;
      return r;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int n = length(); // read the length first: "pos += length()" would add to the old pos
          pos += n;
        }
        case 5 -> pos += 4;
        default -> throw new ProtobufException("unsupported protobuf wire type " + wireType);
      }
      if (pos > end) throw new ProtobufException("unexpected end of protobuf data");
    }
  }
}
