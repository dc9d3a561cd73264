package kubelab.container.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader and writer for the runtime's state files and {@code lab inspect}.
 *
 * <p>Why not Jackson: {@code lab run} is a short-lived command whose start-up time is a goal
 * (no slower than {@code docker run}); loading Jackson's ObjectMapper costs tens of milliseconds,
 * this class almost nothing. Values are {@code Map<String,Object>} (insertion order kept),
 * {@code List<Object>}, {@code String}, {@code Long}, {@code Double}, {@code Boolean} and null.
 */
public final class Json {
  private Json() {}

  public static String write(Object v, boolean pretty) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, pretty, 0);
    return sb.toString();
  }

  private static void indent(StringBuilder sb, boolean pretty, int depth) {
    if (!pretty) return;
    sb.append('\n');
    for (int i = 0; i < depth; i++) sb.append("    ");
  }

  @SuppressWarnings("unchecked")
  private static void write(StringBuilder sb, Object v, boolean pretty, int depth) {
    if (v == null) sb.append("null");
    else if (v instanceof String s) quote(sb, s);
    else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) sb.append(v);
    else if (v instanceof Number n) sb.append(n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15 ? String.valueOf(n.longValue()) : n.toString());
    else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) { sb.append("{}"); return; }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        indent(sb, pretty, depth + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(pretty ? ": " : ":");
        write(sb, e.getValue(), pretty, depth + 1);
      }
      indent(sb, pretty, depth);
      sb.append('}');
    } else if (v instanceof Iterable<?> it) {
      List<Object> l = new ArrayList<>();
      it.forEach(l::add);
      if (l.isEmpty()) { sb.append("[]"); return; }
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        indent(sb, pretty, depth + 1);
        write(sb, l.get(i), pretty, depth + 1);
      }
      indent(sb, pretty, depth);
      sb.append(']');
    } else quote(sb, v.toString());
  }

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(sb, s);
    return sb.toString();
  }

  /** Appends {@code s} as a JSON string literal: quotes, backslash and control characters escaped. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  /** Parses a JSON text; throws IllegalArgumentException with the offset on malformed input. */
  public static Object parse(String s) {
    Parser p = new Parser(s);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != s.length()) throw p.error("trailing data");
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String s) {
    Object v = parse(s);
    if (!(v instanceof Map)) throw new IllegalArgumentException("JSON: expected an object");
    return (Map<String, Object>) v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    Object value() {
      if (i >= s.length()) throw error("unexpected end");
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (peek('}')) { i++; return m; }
          while (true) {
            ws();
            String k = string();
            ws();
            expect(':');
            ws();
            m.put(k, value());
            ws();
            if (peek(',')) { i++; continue; }
            expect('}');
            return m;
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (peek(']')) { i++; return l; }
          while (true) {
            ws();
            l.add(value());
            ws();
            if (peek(',')) { i++; continue; }
            expect(']');
            return l;
          }
        }
        case '"':
          return string();
        case 't': lit("true"); return Boolean.TRUE;
        case 'f': lit("false"); return Boolean.FALSE;
        case 'n': lit("null"); return null;
        default:
          return number();
      }
    }

    boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    void expect(char c) {
      if (!peek(c)) throw error("expected '" + c + "'");
      i++;
    }

    void lit(String w) {
      if (!s.startsWith(w, i)) throw error("expected " + w);
      i += w.length();
    }

    Object number() {
      int st = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String t = s.substring(st, i);
      if (t.isEmpty()) throw error("unexpected character");
      if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
      return Long.parseLong(t);
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) throw error("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c != '\\') { sb.append(c); continue; }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> { sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
          default -> sb.append(e);
        }
      }
    }
  }
}
