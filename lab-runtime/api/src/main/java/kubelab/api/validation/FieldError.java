package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One validation failure at a field path, worded exactly as Kubernetes 1.32 words it
 * (k8s.io/apimachinery/pkg/util/validation/field): {@code spec.containers[0].image: Required value},
 * {@code spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always",
 * "OnFailure", "Never"}, {@code metadata.name: Invalid value: "Web": a lowercase RFC 1123 ...}.
 *
 * @param type what kind of failure
 * @param field the path, as {@link FieldPath#toString()} renders it
 * @param value the offending value (rendered the way Go's %v/%q would), or {@link #OMIT}
 * @param detail the explanation after the value, or empty
 */
public record FieldError(Type type, String field, Object value, String detail) {

  /** Marks "no value to print" (Go's omitValue). */
  public static final Object OMIT = new Object() {
    @Override
    public String toString() {
      return "<omitted>";
    }
  };

  /** Field error types and their cause reasons (metav1.CauseType). */
  public enum Type {
    NOT_FOUND("FieldValueNotFound", "Not found"),
    REQUIRED("FieldValueRequired", "Required value"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value"),
    INVALID("FieldValueInvalid", "Invalid value"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    TOO_MANY("FieldValueTooMany", "Too many"),
    INTERNAL("InternalError", "Internal error"),
    TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

    public final String causeType;
    public final String text;

    Type(String causeType, String text) {
      this.causeType = causeType;
      this.text = text;
    }
  }

  public static FieldError required(FieldPath p, String detail) {
    return new FieldError(Type.REQUIRED, p.toString(), OMIT, detail);
  }

  public static FieldError invalid(FieldPath p, Object value, String detail) {
    return new FieldError(Type.INVALID, p.toString(), value, detail);
  }

  public static FieldError notFound(FieldPath p, Object value) {
    return new FieldError(Type.NOT_FOUND, p.toString(), value, "");
  }

  public static FieldError duplicate(FieldPath p, Object value) {
    return new FieldError(Type.DUPLICATE, p.toString(), value, "");
  }

  public static FieldError forbidden(FieldPath p, String detail) {
    return new FieldError(Type.FORBIDDEN, p.toString(), OMIT, detail);
  }

  /** {@code Unsupported value: "x": supported values: "a", "b"} (values quoted, in the order given). */
  public static FieldError notSupported(FieldPath p, Object value, List<String> valid) {
    String detail = valid.isEmpty() ? "" : "supported values: "
        + valid.stream().map(FieldError::quote).collect(Collectors.joining(", "));
    return new FieldError(Type.NOT_SUPPORTED, p.toString(), value, detail);
  }

  /** {@code Too long: must have at most N bytes} (Kubernetes 1.32 wording). */
  public static FieldError tooLong(FieldPath p, long max) {
    return new FieldError(Type.TOO_LONG, p.toString(), OMIT, "must have at most " + max + " bytes");
  }

  public static FieldError tooMany(FieldPath p, long actual, long max) {
    return new FieldError(Type.TOO_MANY, p.toString(), actual, "must have at most " + max + " items");
  }

  /** The part after the field: {@code Required value}, {@code Invalid value: "x": why}. */
  public String messageWithoutField() {
    StringBuilder s = new StringBuilder(type.text);
    boolean showValue = type != Type.REQUIRED && type != Type.FORBIDDEN && type != Type.TOO_LONG
        && type != Type.INTERNAL && value != OMIT;
    if (showValue) s.append(": ").append(render(value));
    if (detail != null && !detail.isEmpty()) s.append(": ").append(detail);
    return s.toString();
  }

  @Override
  public String toString() {
    return field + ": " + messageWithoutField();
  }

  /**
   * Renders a value as Go's field.Error does: strings quoted ({@code %q}), numbers and booleans
   * plain ({@code %v}), null as {@code null}, maps and lists in Go syntax.
   */
  public static String render(Object v) {
    if (v == null) return "null";
    if (v instanceof JsonNode n) return renderNode(n);
    if (v instanceof String s) return quote(s);
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    if (v instanceof Map<?, ?> m) {
      // map[string]string{"app":"web"}, keys sorted as Go's fmt does
      return "map[string]string{" + m.entrySet().stream()
          .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
          .map(e -> quote(e.getKey().toString()) + ":" + quote(String.valueOf(e.getValue())))
          .collect(Collectors.joining(", ")) + "}";
    }
    if (v instanceof List<?> l) {
      return "[]string{" + l.stream().map(x -> quote(String.valueOf(x))).collect(Collectors.joining(", ")) + "}";
    }
    return v.toString();
  }

  private static String renderNode(JsonNode n) {
    if (n.isTextual()) return quote(n.asText());
    if (n.isNumber() || n.isBoolean()) return n.asText();
    if (n.isNull() || n.isMissingNode()) return "null";
    return n.toString();
  }

  /** Go's strconv.Quote for the printable ASCII and common escapes. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
