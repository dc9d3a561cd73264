package kubelab.container.image.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kubelab.container.image.ImageException;

/**
 * Reads a Dockerfile into {@link Instruction}s, following the Dockerfile reference (Docker 27):
 * parser directives at the top ({@code # escape=`}; {@code # syntax=} is accepted and ignored);
 * comment lines; continuation lines ending with the escape character (comment and empty lines
 * inside a continuation are dropped); case-insensitive keywords; {@code --flag=value} options;
 * exec form (a JSON array of strings) versus shell form.
 *
 * <p>Errors are one line naming the file and line, {@code Dockerfile:3: unknown instruction: FORM
 * (did you mean FROM?)}. Variable expansion is not done here but when the builder runs each
 * instruction, with the ENV and ARG values in force at that point, as Docker does.
 */
public final class DockerfileParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every instruction the builder knows, and which of them take flags. */
  static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
      "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "MAINTAINER");
  private static final Map<String, Set<String>> FLAGS = Map.of(
      "FROM", Set.of("platform"),
      "COPY", Set.of("from", "chown", "chmod", "link"),
      "ADD", Set.of("chown", "chmod", "link", "checksum", "keep-git-dir"),
      "RUN", Set.of("network", "mount", "security"),
      "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));

  /** A parsed file: its escape character and instructions. */
  public record Parsed(char escape, List<Instruction> instructions) {}

  private DockerfileParser() {}

  /** Parses {@code text}; {@code file} names the Dockerfile in error messages. */
  public static Parsed parse(String text, String file) {
    String[] lines = text.split("\r?\n", -1);
    char escape = '\\';
    int i = 0;
    // Parser directives: "# key=value" lines before anything else.
    for (; i < lines.length; i++) {
      String l = lines[i].strip();
      if (!l.startsWith("#")) break;
      String body = l.substring(1).strip();
      int eq = body.indexOf('=');
      if (eq < 0 || body.substring(0, eq).strip().contains(" ")) break; // an ordinary comment ends the directives
      String key = body.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = body.substring(eq + 1).strip();
      if (key.equals("escape")) {
        if (!value.equals("\\") && !value.equals("`")) throw error(file, i + 1, "invalid escape token '" + value + "' does not match ` or \\");
        escape = value.charAt(0);
      } else if (!key.equals("syntax") && !key.equals("check")) {
        break;
      }
    }
    List<Instruction> out = new ArrayList<>();
    while (i < lines.length) {
      String raw = lines[i];
      String l = raw.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        i++;
        continue;
      }
      int start = i + 1;
      StringBuilder joined = new StringBuilder();
      String cur = stripRight(raw);
      while (endsWithEscape(cur, escape)) {
        joined.append(cur, 0, cur.length() - 1);
        i++;
        while (i < lines.length && (lines[i].strip().isEmpty() || lines[i].strip().startsWith("#"))) i++;
        if (i >= lines.length) {
          cur = "";
          break;
        }
        cur = stripRight(lines[i]);
      }
      joined.append(cur);
      i++;
      out.add(instruction(joined.toString().strip(), start, file));
    }
    if (out.isEmpty()) throw new ImageException("the Dockerfile (" + file + ") cannot be empty");
    return new Parsed(escape, out);
  }

  private static Instruction instruction(String text, int line, String file) {
    int sp = 0;
    while (sp < text.length() && !Character.isWhitespace(text.charAt(sp))) sp++;
    String word = text.substring(0, sp);
    String keyword = word.toUpperCase(Locale.ROOT);
    if (!KEYWORDS.contains(keyword)) {
      String hint = suggest(keyword);
      throw error(file, line, "unknown instruction: " + word + (hint == null ? "" : " (did you mean " + hint + "?)"));
    }
    String rest = text.substring(sp).strip();
    Map<String, String> flags = new LinkedHashMap<>();
    Set<String> allowed = FLAGS.getOrDefault(keyword, Set.of());
    while (rest.startsWith("--")) {
      int end = 0;
      while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) end++;
      String flag = rest.substring(2, end);
      int eq = flag.indexOf('=');
      String name = eq < 0 ? flag : flag.substring(0, eq);
      String value = eq < 0 ? "" : flag.substring(eq + 1);
      if (!allowed.contains(name)) throw error(file, line, "unknown flag: --" + name + " for " + keyword);
      if (eq < 0 && !name.equals("link") && !name.equals("keep-git-dir")) {
        throw error(file, line, "flag --" + name + " needs a value: --" + name + "=VALUE");
      }
      flags.put(name, value);
      rest = rest.substring(end).strip();
    }
    List<String> args = new ArrayList<>();
    boolean exec = false;
    if (rest.startsWith("[")) {
      List<String> arr = jsonArray(rest);
      if (arr != null) {
        exec = true;
        args.addAll(arr);
      }
    }
    if (!exec && !rest.isEmpty()) args.add(rest);
    if (rest.isEmpty() && !keyword.equals("RUN") && !keyword.equals("CMD") && !keyword.equals("ENTRYPOINT")) {
      throw error(file, line, keyword + " requires at least one argument");
    }
    if (keyword.equals("SHELL") && !exec) throw error(file, line, "SHELL requires the arguments to be in JSON form");
    return new Instruction(keyword, flags, args, exec, line, text, rest);
  }

  /** The strings of a JSON array, or null when the text is not one (then it is shell form, as in Docker). */
  static List<String> jsonArray(String s) {
    try {
      JsonNode n = JSON.readTree(s);
      if (n == null || !n.isArray()) return null;
      List<String> out = new ArrayList<>();
      for (JsonNode e : n) {
        if (!e.isTextual()) return null;
        out.add(e.asText());
      }
      return out;
    } catch (Exception e) {
      return null;
    }
  }

  private static boolean endsWithEscape(String s, char escape) {
    return !s.isEmpty() && s.charAt(s.length() - 1) == escape;
  }

  private static String stripRight(String s) {
    int end = s.length();
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) end--;
    return s.substring(0, end);
  }

  /** The closest keyword within two edits, for "did you mean". */
  static String suggest(String word) {
    String best = null;
    int bestD = 3;
    for (String k : KEYWORDS) {
      int d = distance(word, k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static ImageException error(String file, int line, String message) {
    return new ImageException(file + ":" + line + ": " + message);
  }
}
