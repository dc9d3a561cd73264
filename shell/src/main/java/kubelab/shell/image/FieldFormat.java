package kubelab.shell.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code -f/--format} of the inspect commands: a dotted path into the inspect JSON
 * ({@code Id}, {@code Config.Entrypoint}, {@code RootFS.Layers}, {@code GraphDriver}). Docker's
 * Go-template spellings of the same thing are accepted too: {@code {{.Id}}} and
 * {@code {{json .GraphDriver}}}. A string or number prints as plain text; an object or array as
 * JSON (indented, or on one line with the {@code json} function, as Docker prints it); a missing
 * field is an error that names it.
 */
public final class FieldFormat {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private FieldFormat() {}

  public static String apply(JsonNode doc, String format) {
    String f = format.strip();
    boolean compact = false;
    if (f.startsWith("{{") && f.endsWith("}}")) {
      f = f.substring(2, f.length() - 2).strip();
      if (f.startsWith("json ")) {
        compact = true;
        f = f.substring(5).strip();
      }
    }
    if (f.startsWith(".")) f = f.substring(1);
    JsonNode n = doc;
    if (!f.isEmpty()) {
      for (String part : f.split("\\.")) {
        JsonNode next = n == null ? null : n.get(part);
        if (next == null) {
          throw new IllegalArgumentException("template: no field \"" + part + "\" in \"" + format
              + "\" (fields here: " + fields(n) + ")");
        }
        n = next;
      }
    }
    try {
      if (n.isNull()) return compact ? "null" : "<no value>";
      if (n.isValueNode()) return n.asText();
      return (compact ? COMPACT : PRETTY).writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String fields(JsonNode n) {
    if (n == null || !n.isObject()) return "none";
    StringBuilder b = new StringBuilder();
    n.fieldNames().forEachRemaining(k -> b.append(b.length() == 0 ? "" : ", ").append(k));
    return b.toString();
  }
}
