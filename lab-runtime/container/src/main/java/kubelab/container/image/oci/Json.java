package kubelab.container.image.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming layer only. {@code lab run} resolves an
 * image on every start, and building a databind {@code ObjectMapper} costs more start-up time
 * (class loading and introspection, 100+ ms on a busy machine) than everything else the image
 * side does; a streaming parser and generator cost a few milliseconds. Output is compact, fields
 * in insertion order, so the same tree always gives the same bytes (and digest).
 */
public final class Json {
  private Json() {}

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  public static JsonNodeFactory nodes() {
    return NODES;
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Parses one JSON document. */
  public static JsonNode parse(byte[] json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new IOException("empty document");
      JsonNode n = value(p, t);
      if (p.nextToken() != null) throw new IOException("trailing content after the JSON document");
      return n;
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          if (k != JsonToken.FIELD_NAME) throw new IOException("expected a field name at " + p.currentLocation());
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          if (e == null) throw new IOException("unterminated array");
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("unexpected " + t + " at " + p.currentLocation());
    }
  }

  /** Compact bytes of a tree, fields in their order. */
  public static byte[] bytes(JsonNode n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    if (n == null || n.isNull()) {
      g.writeNull();
    } else if (n.isObject()) {
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode e : n) write(g, e);
      g.writeEndArray();
    } else if (n.isTextual()) {
      g.writeString(n.asText());
    } else if (n.isBoolean()) {
      g.writeBoolean(n.asBoolean());
    } else if (n.isIntegralNumber()) {
      if (n.canConvertToLong()) g.writeNumber(n.asLong());
      else g.writeNumber(n.bigIntegerValue());
    } else if (n.isNumber()) {
      g.writeNumber(n.decimalValue());
    } else {
      g.writeString(n.asText());
    }
  }
}
