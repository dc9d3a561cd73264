package kubelab.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.resource.Quantity;

/**
 * Checks a JSON object against its kind's schema the way kube-apiserver's decoder would find
 * problems (Kubernetes 1.32, sigs.k8s.io/json):
 * <ul>
 *   <li>{@link #typeError}: the first value of the wrong JSON type, worded as Go's decoder does:
 *       {@code json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
 *       type int32}; and malformed quantities, times and base64;
 *   <li>{@link #unknownFields}: fields the schema does not know, as strict field validation reports
 *       them ({@code spec.containers[0].imagee}); "open" parts of the schema are not inspected.
 * </ul>
 * JSON null is accepted anywhere (it decodes to the zero value). Stateless, thread-safe.
 */
public final class TypeChecker {
  private TypeChecker() {}

  private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** The first decode error of {@code obj} against {@code root}, or null. */
  public static String typeError(Schema root, JsonNode obj) {
    return check(root, obj, root.simpleName(), "");
  }

  private static String check(Schema s, JsonNode v, String struct, String path) {
    if (v == null || v.isNull() || v.isMissingNode()) return null;
    switch (s.type()) {
      case OBJECT -> {
        if (!v.isObject()) return mismatch(v, struct, path, s);
        if (s.definition() == null) return null;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          var e = it.next();
          Field f = s.field(e.getKey());
          if (f == null) continue;
          String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
          String err = check(f.schema(), e.getValue(), s.simpleName(), p);
          if (err != null) return err;
        }
        return null;
      }
      case ARRAY -> {
        if (!v.isArray()) return mismatch(v, struct, path, s);
        for (JsonNode item : v) {
          String err = check(s.element(), item, struct, path);
          if (err != null) return err;
        }
        return null;
      }
      case MAP -> {
        if (!v.isObject()) return mismatch(v, struct, path, s);
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
          String err = check(s.element(), it.next(), struct, path);
          if (err != null) return err;
        }
        return null;
      }
      case STRING -> {
        return v.isTextual() ? null : mismatch(v, struct, path, s);
      }
      case BOOLEAN -> {
        return v.isBoolean() ? null : mismatch(v, struct, path, s);
      }
      case NUMBER -> {
        return v.isNumber() ? null : mismatch(v, struct, path, s);
      }
      case INT32, INT64 -> {
        if (!v.isNumber()) return mismatch(v, struct, path, s);
        BigInteger i;
        try {
          i = v.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException e) {
          return numberMismatch(v, struct, path, s);
        }
        boolean fits = s.type() == Schema.Type.INT32
            ? i.compareTo(INT32_MIN) >= 0 && i.compareTo(INT32_MAX) <= 0
            : i.compareTo(INT64_MIN) >= 0 && i.compareTo(INT64_MAX) <= 0;
        if (!fits || v.isFloatingPointNumber()) return numberMismatch(v, struct, path, s);
        return null;
      }
      case QUANTITY -> {
        if (v.isNumber()) return null;
        if (!v.isTextual()) return QUANTITY_ERROR;
        try {
          Quantity.parse(v.asText());
          return null;
        } catch (IllegalArgumentException e) {
          return QUANTITY_ERROR;
        }
      }
      case INT_OR_STRING -> {
        if (v.isTextual()) return null;
        if (v.isIntegralNumber()) return null;
        return "json: cannot unmarshal " + goValue(v) + " into Go value of type int32";
      }
      case TIME -> {
        if (!v.isTextual()) return "json: cannot unmarshal " + goValue(v) + " into Go value of type string";
        try {
          OffsetDateTime.parse(v.asText());
          return null;
        } catch (DateTimeParseException e) {
          return "parsing time " + quote(v.asText()) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse "
              + quote(v.asText()) + " as \"2006\"";
        }
      }
      case BYTES -> {
        if (!v.isTextual()) return mismatch(v, struct, path, s);
        try {
          Base64.getDecoder().decode(v.asText());
          return null;
        } catch (IllegalArgumentException e) {
          return "illegal base64 data at input byte " + badBase64Offset(v.asText());
        }
      }
      default -> {
        return null;
      }
    }
  }

  /** Quantity's decode error (k8s.io/apimachinery/pkg/api/resource ErrFormatWrong). */
  public static final String QUANTITY_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

  private static String mismatch(JsonNode v, String struct, String path, Schema s) {
    if (path.isEmpty()) return "json: cannot unmarshal " + goValue(v) + " into Go value of type " + s.goType();
    return "json: cannot unmarshal " + goValue(v) + " into Go struct field " + struct + "." + path
        + " of type " + s.goType();
  }

  private static String numberMismatch(JsonNode v, String struct, String path, Schema s) {
    String num = "number " + v.asText();
    if (v.isBigDecimal() || v.isDouble() || v.isFloat()) num = "number " + new BigDecimal(v.asText()).toPlainString();
    return "json: cannot unmarshal " + num + " into Go struct field " + struct + "." + path + " of type " + s.goType();
  }

  private static String goValue(JsonNode v) {
    if (v.isTextual()) return "string";
    if (v.isNumber()) return "number";
    if (v.isBoolean()) return "bool";
    if (v.isArray()) return "array";
    return "object";
  }

  private static int badBase64Offset(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
      if (!ok) return i;
    }
    return s.length();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Paths of fields the schema does not know, in document order. */
  public static List<String> unknownFields(Schema root, JsonNode obj) {
    List<String> out = new ArrayList<>();
    unknown(root, obj, "", out);
    return out;
  }

  private static void unknown(Schema s, JsonNode v, String path, List<String> out) {
    if (v == null || v.isNull()) return;
    switch (s.type()) {
      case OBJECT -> {
        if (!v.isObject() || s.open()) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          var e = it.next();
          String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
          Field f = s.field(e.getKey());
          if (f == null) out.add(p);
          else unknown(f.schema(), e.getValue(), p, out);
        }
      }
      case ARRAY -> {
        if (!v.isArray()) return;
        for (int i = 0; i < v.size(); i++) unknown(s.element(), v.get(i), path + "[" + i + "]", out);
      }
      case MAP -> {
        if (!v.isObject()) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          var e = it.next();
          unknown(s.element(), e.getValue(), path + "." + e.getKey(), out);
        }
      }
      default -> { }
    }
  }
}
