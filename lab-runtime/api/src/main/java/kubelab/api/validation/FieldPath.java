package kubelab.api.validation;

/**
 * A path to a field, rendered the way Kubernetes renders it in errors:
 * {@code spec.containers[0].ports[1].containerPort}, {@code metadata.labels[app]}.
 *
 * <p>Immutable; {@link #child}, {@link #index} and {@link #key} return new paths.
 */
public final class FieldPath {
  private final FieldPath parent;
  private final String segment; // "name", "[0]" or "[key]"

  private FieldPath(FieldPath parent, String segment) {
    this.parent = parent;
    this.segment = segment;
  }

  /** A root path, e.g. {@code FieldPath.of("spec")} or {@code FieldPath.of("metadata", "name")}. */
  public static FieldPath of(String first, String... more) {
    FieldPath p = new FieldPath(null, first);
    for (String m : more) p = p.child(m);
    return p;
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = new FieldPath(this, name);
    for (String m : more) p = p.child(m);
    return p;
  }

  public FieldPath index(int i) {
    return new FieldPath(this, "[" + i + "]");
  }

  public FieldPath key(String k) {
    return new FieldPath(this, "[" + k + "]");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    build(b);
    return b.toString();
  }

  private void build(StringBuilder b) {
    if (parent != null) parent.build(b);
    if (segment.startsWith("[")) {
      b.append(segment);
    } else {
      if (b.length() > 0) b.append('.');
      b.append(segment);
    }
  }
}
