package kubelab.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector in its string form, as {@code kubectl get -l} and the {@code labelSelector}
 * query parameter write it (k8s.io/apimachinery/pkg/labels):
 *
 * <pre>
 *   app=web,tier!=db          equality (= or ==) and inequality
 *   env in (dev,qa)           set membership; notin for the complement
 *   release, !canary          existence and non-existence of a key
 *   replicas&gt;2                numeric comparison (gt, lt)
 * </pre>
 *
 * Requirements are ANDed; the empty string selects everything. Immutable and thread-safe.
 */
public final class LabelSelectorString {
  /** One requirement: key, operator and values. */
  public record Requirement(String key, String op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case "=", "==", "in" -> v != null && values.contains(v);
        case "!=", "notin" -> v == null || !values.contains(v);
        case "exists" -> labels.containsKey(key);
        case "!" -> !labels.containsKey(key);
        case "gt", "lt" -> {
          if (v == null) yield false;
          try {
            long have = Long.parseLong(v);
            long want = Long.parseLong(values.iterator().next());
            yield op.equals("gt") ? have > want : have < want;
          } catch (NumberFormatException e) {
            yield false;
          }
        }
        default -> false;
      };
    }
  }

  private final List<Requirement> requirements;
  private final String text;

  private LabelSelectorString(List<Requirement> requirements, String text) {
    this.requirements = requirements;
    this.text = text;
  }

  public static final LabelSelectorString EVERYTHING = new LabelSelectorString(List.of(), "");

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Requirement r : requirements) {
      if (!r.matches(l)) return false;
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Parses a selector.
   *
   * @throws IllegalArgumentException with a message in the parser's words ("found 'x',
   *     expected: ...", "unable to parse requirement: ...")
   */
  public static LabelSelectorString parse(String s) {
    if (s == null || s.isBlank()) return EVERYTHING;
    Lexer lx = new Lexer(s);
    List<Requirement> out = new ArrayList<>();
    while (true) {
      out.add(requirement(lx));
      String t = lx.next();
      if (t == null) break;
      if (!t.equals(",")) throw new IllegalArgumentException("found '" + t + "', expected: ',' or 'end of string'");
    }
    return new LabelSelectorString(List.copyOf(out), s);
  }

  private static Requirement requirement(Lexer lx) {
    String t = lx.next();
    if (t == null) throw new IllegalArgumentException("found '', expected: !, identifier, or 'end of string'");
    if (t.equals("!")) {
      String key = identifier(lx.next());
      return new Requirement(key, "!", Set.of());
    }
    String key = identifier(t);
    String op = lx.peek();
    if (op == null || op.equals(",")) return new Requirement(key, "exists", Set.of());
    lx.next();
    switch (op) {
      case "=", "==", "!=" -> {
        String v = lx.peek();
        if (v == null || v.equals(",")) return new Requirement(key, op, Set.of(""));
        lx.next();
        return new Requirement(key, op, Set.of(value(v)));
      }
      case ">", "<" -> {
        String v = lx.next();
        try {
          Long.parseLong(v == null ? "" : v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer");
        }
        return new Requirement(key, op.equals(">") ? "gt" : "lt", Set.of(v));
      }
      case "in", "notin" -> {
        String open = lx.next();
        if (!"(".equals(open)) throw new IllegalArgumentException("found '" + open + "', expected: '('");
        Set<String> values = new TreeSet<>();
        while (true) {
          String v = lx.next();
          if (v == null) throw new IllegalArgumentException("found '', expected: ',', ')' or identifier");
          if (v.equals(")")) break;
          if (v.equals(",")) continue;
          values.add(value(v));
        }
        return new Requirement(key, op, values);
      }
      default -> throw new IllegalArgumentException(
          "found '" + op + "', expected: in, notin, =, ==, !=, gt, lt");
    }
  }

  private static String identifier(String t) {
    if (t == null || t.isEmpty() || "=!(),<>".contains(t)) {
      throw new IllegalArgumentException("found '" + (t == null ? "" : t) + "', expected: identifier");
    }
    return t;
  }

  private static String value(String t) {
    if ("=!(),<>".contains(t)) throw new IllegalArgumentException("found '" + t + "', expected: identifier");
    return t;
  }

  /** Splits into identifiers and the operator tokens ! = == != ( ) , &lt; &gt;. */
  private static final class Lexer {
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    Lexer(String s) {
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '=' || c == '!') {
          if (i + 1 < s.length() && s.charAt(i + 1) == '=') {
            tokens.add(s.substring(i, i + 2));
            i += 2;
          } else {
            tokens.add(String.valueOf(c));
            i++;
          }
        } else if ("(),<>".indexOf(c) >= 0) {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          int j = i;
          while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "=!(),<>".indexOf(s.charAt(j)) < 0) j++;
          tokens.add(s.substring(i, j));
          i = j;
        }
      }
    }

    String next() {
      return pos < tokens.size() ? tokens.get(pos++) : null;
    }

    String peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }
  }
}
