package kubelab.container.image.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore}: which files of the build context the builder does not see. Docker's rules
 * (moby/patternmatcher): one pattern per line, {@code #} comments, patterns are cleaned paths
 * relative to the context root (a leading {@code /} is dropped); {@code *} matches within one path
 * component, {@code ?} one character, {@code **} any number of components; a pattern that matches
 * a directory excludes everything under it; a line starting with {@code !} re-includes what
 * earlier lines excluded, and the last matching line wins.
 */
public final class DockerIgnore {
  private record Rule(Pattern pattern, boolean exclude, String text) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  public static final DockerIgnore NONE = new DockerIgnore(List.of());

  /** Reads {@code dir/.dockerignore}; a missing file ignores nothing. */
  public static DockerIgnore load(Path contextDir) throws IOException {
    Path f = contextDir.resolve(".dockerignore");
    if (!Files.isRegularFile(f)) return NONE;
    return parse(Files.readString(f));
  }

  public static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      String l = raw.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      boolean exclude = true;
      if (l.startsWith("!")) {
        exclude = false;
        l = l.substring(1).strip();
      }
      l = clean(l);
      if (l.isEmpty()) continue;
      rules.add(new Rule(Pattern.compile(toRegex(l)), exclude, l));
    }
    return new DockerIgnore(rules);
  }

  /**
   * Whether {@code relPath} (slash-separated, relative to the context root) is excluded. A path is
   * also excluded when one of its parent directories matches an excluding pattern.
   */
  public boolean excluded(String relPath) {
    if (rules.isEmpty() || relPath.isEmpty()) return false;
    boolean excluded = false;
    String[] parts = relPath.split("/");
    for (Rule r : rules) {
      boolean match = false;
      StringBuilder prefix = new StringBuilder();
      for (String p : parts) { // the path itself or any of its parents
        if (prefix.length() > 0) prefix.append('/');
        prefix.append(p);
        if (r.pattern.matcher(prefix).matches()) {
          match = true;
          break;
        }
      }
      if (match) excluded = r.exclude;
    }
    return excluded;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  private static String clean(String p) {
    List<String> out = new ArrayList<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (!out.isEmpty()) out.remove(out.size() - 1);
        continue;
      }
      out.add(part);
    }
    return String.join("/", out);
  }

  private static String toRegex(String p) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*') {
        if (i + 1 < p.length() && p.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < p.length() && p.charAt(i + 1) == '/') { // "**/" : zero or more directories
            i++;
            re.append("(?:.*/)?");
          } else {
            re.append(".*");
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = p.indexOf(']', i + 1);
        if (end < 0) {
          re.append("\\[");
        } else {
          String cls = p.substring(i + 1, end);
          if (cls.startsWith("^") || cls.startsWith("!")) cls = "^" + cls.substring(1);
          re.append('[').append(cls.replace("\\", "\\\\")).append(']');
          i = end;
        }
      } else if (c == '\\' && i + 1 < p.length()) {
        re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
