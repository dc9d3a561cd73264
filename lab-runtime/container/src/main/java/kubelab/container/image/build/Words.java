package kubelab.container.image.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits an instruction's text into words the way Docker's shell-word lexer does for COPY, ENV,
 * LABEL, WORKDIR and friends: whitespace separates words; single quotes keep everything literal;
 * double quotes keep spaces and still expand variables; the escape character (backslash, or
 * backtick with {@code # escape=`}) quotes the next character; {@code $NAME}, {@code ${NAME}},
 * {@code ${NAME:-default}} and {@code ${NAME:+alternative}} expand from the build's environment
 * (ENV and ARG values). RUN, CMD and ENTRYPOINT are not expanded here: their shell does it.
 */
final class Words {
  private Words() {}

  /** Thrown with the problem; the builder adds the file and line. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  static List<String> split(String text, Function<String, String> vars, char escape) throws SyntaxError {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == escape) {
        if (i + 1 < text.length()) cur.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) throw new SyntaxError("unterminated single quote in: " + text);
        cur.append(text, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= text.length()) throw new SyntaxError("unterminated double quote in: " + text);
          char d = text.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == escape && i + 1 < text.length()) {
            char n = text.charAt(i + 1);
            if (n == '"' || n == escape || n == '$') {
              cur.append(n);
              i += 2;
              continue;
            }
          }
          if (d == '$') {
            i = variable(text, i, vars, cur, escape);
            continue;
          }
          cur.append(d);
          i++;
        }
      } else if (c == '$') {
        i = variable(text, i, vars, cur, escape);
      } else {
        cur.append(c);
        i++;
      }
    }
    if (inWord) words.add(cur.toString());
    return words;
  }

  /** Expands variables (and removes quoting) in one string, keeping whitespace: for ENV values. */
  static String expand(String text, Function<String, String> vars, char escape) throws SyntaxError {
    List<String> w = split(text, vars, escape);
    return String.join(" ", w);
  }

  /** Expands the variable at text[i] == '$' into out; returns the index after it. */
  private static int variable(String text, int i, Function<String, String> vars, StringBuilder out, char escape)
      throws SyntaxError {
    int j = i + 1;
    if (j >= text.length()) {
      out.append('$');
      return j;
    }
    if (text.charAt(j) == '{') {
      int end = text.indexOf('}', j);
      if (end < 0) throw new SyntaxError("missing '}' in: " + text);
      String body = text.substring(j + 1, end);
      String name = body;
      String op = null;
      String word = "";
      int colon = body.indexOf(':');
      if (colon >= 0) {
        name = body.substring(0, colon);
        if (colon + 1 >= body.length() || (body.charAt(colon + 1) != '-' && body.charAt(colon + 1) != '+')) {
          throw new SyntaxError("unsupported modifier in ${" + body + "} (use ${VAR:-default} or ${VAR:+alternative})");
        }
        op = body.substring(colon, colon + 2);
        word = body.substring(colon + 2);
      }
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new SyntaxError("bad variable name in ${" + body + "}");
      String v = vars.apply(name);
      if (op == null) out.append(v == null ? "" : v);
      else if (op.equals(":-")) out.append(v == null || v.isEmpty() ? String.join(" ", split(word, vars, escape)) : v);
      else out.append(v == null || v.isEmpty() ? "" : String.join(" ", split(word, vars, escape)));
      return end + 1;
    }
    int k = j;
    while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k)) || text.charAt(k) == '_')) k++;
    if (k == j) {
      out.append('$');
      return j;
    }
    String v = vars.apply(text.substring(j, k));
    out.append(v == null ? "" : v);
    return k;
  }

  /** Variables from a Docker env list ("K=V" strings) with build args under them. */
  static Function<String, String> lookup(List<String> env, Map<String, String> args) {
    return name -> {
      for (int i = env.size() - 1; i >= 0; i--) {
        String e = env.get(i);
        if (e.startsWith(name + "=")) return e.substring(name.length() + 1);
      }
      return args.get(name);
    };
  }
}
