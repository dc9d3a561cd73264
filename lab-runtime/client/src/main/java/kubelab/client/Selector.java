package kubelab.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.meta.LabelSelector;

/**
 * A label selector evaluated on the client: what {@code kubectl get -l} sends as
 * {@code labelSelector}, parsed so listers can filter a local cache the way the API server filters
 * a list (k8s.io/apimachinery/pkg/labels).
 *
 * <p>Grammar: requirements joined by commas (AND), each one of {@code key=value},
 * {@code key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)},
 * {@code key} (exists) and {@code !key} (does not exist). {@code key!=value} and {@code notin}
 * also match objects without the key, as in Kubernetes. The empty selector matches everything.
 * Immutable and thread-safe.
 */
public final class Selector {
  private enum Op { EQ, NEQ, IN, NOTIN, EXISTS, NOT_EXISTS }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQ, IN -> v != null && values.contains(v);
        case NEQ, NOTIN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
      };
    }

    @Override public String toString() {
      return switch (op) {
        case EQ -> key + "=" + values.iterator().next();
        case NEQ -> key + "!=" + values.iterator().next();
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOTIN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case NOT_EXISTS -> "!" + key;
      };
    }
  }

  private static final Selector EVERYTHING = new Selector(List.of());
  private final List<Requirement> requirements;

  private Selector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static Selector everything() {
    return EVERYTHING;
  }

  /** Parses a selector string; null or blank is {@link #everything()}. */
  public static Selector parse(String s) {
    if (s == null || s.isBlank()) return EVERYTHING;
    List<Requirement> out = new ArrayList<>();
    for (String part : splitTopLevel(s)) {
      String p = part.trim();
      if (p.isEmpty()) throw new IllegalArgumentException("invalid label selector \"" + s + "\": empty requirement");
      out.add(requirement(p, s));
    }
    return new Selector(out);
  }

  /**
   * From a LabelSelector object (matchLabels AND matchExpressions). A null selector becomes
   * {@link #everything()}; where the API gives null a "matches nothing" meaning, the caller decides.
   */
  public static Selector of(LabelSelector ls) {
    if (ls == null) return EVERYTHING;
    List<Requirement> out = new ArrayList<>();
    if (ls.matchLabels != null) {
      ls.matchLabels.forEach((k, v) -> out.add(new Requirement(k, Op.EQ, Set.of(v))));
    }
    if (ls.matchExpressions != null) {
      for (LabelSelector.LabelSelectorRequirement r : ls.matchExpressions) {
        Set<String> vals = r.values == null ? Set.of() : new LinkedHashSet<>(r.values);
        Op op = switch (r.operator) {
          case "In" -> Op.IN;
          case "NotIn" -> Op.NOTIN;
          case "Exists" -> Op.EXISTS;
          case "DoesNotExist" -> Op.NOT_EXISTS;
          default -> throw new IllegalArgumentException("unknown selector operator " + r.operator);
        };
        out.add(new Requirement(r.key, op, vals));
      }
    }
    return new Selector(out);
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  /** Whether {@code labels} (null: none) satisfy every requirement. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) if (!r.matches(l)) return false;
    return true;
  }

  /** The canonical string form, suitable for {@code labelSelector=}. */
  @Override public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) parts.add(r.toString());
    return String.join(",", parts);
  }

  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0, start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  private static Requirement requirement(String p, String whole) {
    if (p.startsWith("!")) return new Requirement(key(p.substring(1).trim(), whole), Op.NOT_EXISTS, Set.of());
    int neq = p.indexOf("!=");
    if (neq > 0) return new Requirement(key(p.substring(0, neq).trim(), whole), Op.NEQ, Set.of(value(p.substring(neq + 2).trim(), whole)));
    int eq = p.indexOf('=');
    if (eq > 0) {
      int vs = p.startsWith("==", eq) ? eq + 2 : eq + 1;
      return new Requirement(key(p.substring(0, eq).trim(), whole), Op.EQ, Set.of(value(p.substring(vs).trim(), whole)));
    }
    String[] words = p.split("\\s+", 2);
    if (words.length == 2) {
      String rest = words[1].trim();
      Op op;
      if (rest.startsWith("notin")) { op = Op.NOTIN; rest = rest.substring(5).trim(); }
      else if (rest.startsWith("in")) { op = Op.IN; rest = rest.substring(2).trim(); }
      else throw new IllegalArgumentException("invalid label selector \"" + whole + "\": expected in or notin after " + words[0]);
      if (!rest.startsWith("(") || !rest.endsWith(")")) {
        throw new IllegalArgumentException("invalid label selector \"" + whole + "\": values must be in parentheses");
      }
      Set<String> vals = new LinkedHashSet<>();
      for (String v : rest.substring(1, rest.length() - 1).split(",")) vals.add(value(v.trim(), whole));
      return new Requirement(key(words[0], whole), op, vals);
    }
    return new Requirement(key(p, whole), Op.EXISTS, Set.of());
  }

  private static String key(String k, String whole) {
    if (k.isEmpty() || !k.matches("([A-Za-z0-9][-A-Za-z0-9_.]*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
      throw new IllegalArgumentException("invalid label selector \"" + whole + "\": bad key \"" + k + "\"");
    }
    return k;
  }

  private static String value(String v, String whole) {
    if (!v.isEmpty() && !v.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
      throw new IllegalArgumentException("invalid label selector \"" + whole + "\": bad value \"" + v + "\"");
    }
    return v;
  }
}
