package kubelab.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field selector ({@code spec.nodeName=node-1,status.phase!=Running}), as the
 * {@code fieldSelector} query parameter carries it (k8s.io/apimachinery/pkg/fields).
 *
 * <p>Only = (or ==) and != exist. Each resource supports a few fields (Kubernetes 1.32's field
 * label conversion functions); {@link #validate} rejects others with Kubernetes' message
 * {@code field label not supported: X}. A missing field reads as the empty string, as Go's zero
 * value does, so {@code spec.nodeName=} selects unscheduled pods.
 */
public final class FieldSelector {
  public record Term(String field, boolean equals, String value) {}

  private final List<Term> terms;
  private final String text;

  private FieldSelector(List<Term> terms, String text) {
    this.terms = terms;
    this.text = text;
  }

  public static final FieldSelector EVERYTHING = new FieldSelector(List.of(), "");

  public List<Term> terms() {
    return terms;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }

  /** @throws IllegalArgumentException for a term without an operator */
  public static FieldSelector parse(String s) {
    if (s == null || s.isBlank()) return EVERYTHING;
    List<Term> out = new ArrayList<>();
    for (String part : splitTerms(s)) {
      if (part.isBlank()) continue;
      int ne = part.indexOf("!=");
      int eq2 = part.indexOf("==");
      int eq = part.indexOf('=');
      if (ne >= 0 && (eq < 0 || ne < eq)) {
        out.add(new Term(part.substring(0, ne).trim(), false, unescape(part.substring(ne + 2))));
      } else if (eq2 >= 0 && eq2 == eq) {
        out.add(new Term(part.substring(0, eq2).trim(), true, unescape(part.substring(eq2 + 2))));
      } else if (eq >= 0) {
        out.add(new Term(part.substring(0, eq).trim(), true, unescape(part.substring(eq + 1))));
      } else {
        throw new IllegalArgumentException("invalid selector: '" + s + "'; can't understand '" + part + "'");
      }
    }
    return new FieldSelector(List.copyOf(out), s);
  }

  private static List<String> splitTerms(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static String unescape(String v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) c = v.charAt(++i);
      b.append(c);
    }
    return b.toString();
  }

  /**
   * Checks every field against the ones a resource supports.
   *
   * @throws IllegalArgumentException {@code field label not supported: X}
   */
  public void validate(Set<String> supported) {
    for (Term t : terms) {
      if (!supported.contains(t.field())) {
        throw new IllegalArgumentException("field label not supported: " + t.field());
      }
    }
  }

  /** Whether an object (a JSON tree) satisfies every term, reading fields through {@code fields}. */
  public boolean matches(JsonNode obj, Map<String, String> aliases) {
    for (Term t : terms) {
      String actual = valueOf(obj, aliases.getOrDefault(t.field(), t.field()));
      if (actual.equals(t.value()) != t.equals()) return false;
    }
    return true;
  }

  /** The string value of a dotted path in a JSON tree; "" when absent (Go's zero value). */
  public static String valueOf(JsonNode obj, String dotted) {
    JsonNode n = obj;
    for (String part : dotted.split("\\.")) {
      if (n == null) break;
      n = n.get(part);
    }
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    if (n.isBoolean()) return n.asBoolean() ? "true" : "false";
    if (n.isArray() || n.isObject()) return "";
    return n.asText();
  }
}
