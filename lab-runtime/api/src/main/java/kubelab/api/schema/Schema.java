package kubelab.api.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a value in the Kubernetes API: a primitive, a list, a map, or an object type with
 * named fields (a "definition", such as io.k8s.api.core.v1.PodSpec).
 *
 * <p>Object types are shared: every field of type PodSpec points at the same {@code Schema}
 * instance. Built once by {@link SchemaCatalog}; immutable after loading, thread-safe.
 */
public final class Schema {
  public enum Type {
    OBJECT, ARRAY, MAP, STRING, INT32, INT64, NUMBER, BOOLEAN, QUANTITY, INT_OR_STRING, TIME, BYTES, ANY
  }

  final Type type;
  /** For OBJECT: the definition name (io.k8s.api.core.v1.PodSpec); null for anonymous "object". */
  final String definition;
  /** For ARRAY and MAP: the element schema. */
  Schema element;
  final Map<String, Field> fields = new LinkedHashMap<>();
  boolean open;
  String description = "";
  /** For top-level kinds: group, version, kind. */
  String group;
  String version;
  String kind;

  Schema(Type type, String definition) {
    this.type = type;
    this.definition = definition;
  }

  static Schema primitive(Type t) {
    return new Schema(t, null);
  }

  static Schema arrayOf(Schema e) {
    Schema s = new Schema(Type.ARRAY, null);
    s.element = e;
    return s;
  }

  static Schema mapOf(Schema e) {
    Schema s = new Schema(Type.MAP, null);
    s.element = e;
    return s;
  }

  public Type type() { return type; }

  public String definition() { return definition; }

  public Schema element() { return element; }

  public Map<String, Field> fields() { return fields; }

  public Field field(String name) { return fields.get(name); }

  /** True if fields the schema does not name are accepted here (no strict checks inside). */
  public boolean open() { return open || (type == Type.OBJECT && definition == null) || type == Type.ANY; }

  public String description() { return description; }

  public String group() { return group; }

  public String version() { return version; }

  public String kind() { return kind; }

  /** The short Go type name used in decode errors: v1.PodSpec, []v1.Container, int32, ... */
  public String goType() {
    return switch (type) {
      case OBJECT -> definition == null ? "map[string]interface {}" : goPackage(definition) + "." + simpleName();
      case ARRAY -> "[]" + element.goType();
      case MAP -> "map[string]" + element.goType();
      case STRING -> "string";
      case INT32 -> "int32";
      case INT64 -> "int64";
      case NUMBER -> "float64";
      case BOOLEAN -> "bool";
      case QUANTITY -> "resource.Quantity";
      case INT_OR_STRING -> "intstr.IntOrString";
      case TIME -> "v1.Time";
      case BYTES -> "[]uint8";
      case ANY -> "interface {}";
    };
  }

  /** PodSpec, for io.k8s.api.core.v1.PodSpec. */
  public String simpleName() {
    return definition == null ? "" : definition.substring(definition.lastIndexOf('.') + 1);
  }

  private static String goPackage(String def) {
    String[] parts = def.split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : "";
  }

  /** The OpenAPI (type, format) pair of a primitive. */
  public List<String> openApiType() {
    return switch (type) {
      case STRING -> List.of("string", "");
      case INT32 -> List.of("integer", "int32");
      case INT64 -> List.of("integer", "int64");
      case NUMBER -> List.of("number", "double");
      case BOOLEAN -> List.of("boolean", "");
      case QUANTITY, INT_OR_STRING -> List.of("string", type == Type.QUANTITY ? "quantity" : "int-or-string");
      case TIME -> List.of("string", "date-time");
      case BYTES -> List.of("string", "byte");
      case ARRAY -> List.of("array", "");
      case MAP, OBJECT, ANY -> List.of("object", "");
    };
  }

  @Override
  public String toString() {
    return definition != null ? definition : type + (element != null ? "<" + element + ">" : "");
  }
}
