package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of one script line after the verb: positional arguments, and {@code key=value}
 * options (for example {@code add-nodes 3 prevote=false}). Errors are one-line
 * {@link IllegalArgumentException}s naming the verb's usage.
 */
public final class Args {
  private final String usage;
  private final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();

  public Args(String usage, List<String> words) {
    this.usage = usage;
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq > 0) options.put(w.substring(0, eq), w.substring(eq + 1));
      else positional.add(w);
    }
  }

  public List<String> positional() {
    return positional;
  }

  public int size() {
    return positional.size();
  }

  public String get(int i) {
    if (i >= positional.size()) throw usageError("missing argument " + (i + 1));
    return positional.get(i);
  }

  public long id(int i) {
    return parseLong(get(i));
  }

  public int integer(int i) {
    return (int) parseLong(get(i));
  }

  /** Every positional argument from {@code i} on, as node ids. */
  public List<Long> ids(int from) {
    List<Long> out = new ArrayList<>();
    for (int i = from; i < positional.size(); i++) out.add(parseLong(positional.get(i)));
    return out;
  }

  public String option(String key, String def) {
    return options.getOrDefault(key, def);
  }

  public boolean flag(String key, boolean def) {
    String v = options.get(key);
    if (v == null) return def;
    if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
    throw usageError(key + "=" + v + " is not true or false");
  }

  public int intOption(String key, int def) {
    String v = options.get(key);
    return v == null ? def : (int) parseLong(v);
  }

  public void expectAtMost(int n) {
    if (positional.size() > n) throw usageError("too many arguments");
  }

  private long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw usageError("'" + s + "' is not a number");
    }
  }

  public IllegalArgumentException usageError(String what) {
    return new IllegalArgumentException(what + " (usage: " + usage + ")");
  }
}
