package kubelab.shell.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubelab.store.KvStore;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.Op;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.TxnRequest;

/**
 * etcdctl's transaction syntax (etcdctl txn, non-interactive): three blocks separated by empty
 * lines: compares, the requests to run if they all hold, the requests to run otherwise.
 *
 * <pre>
 *   mod("/registry/pods/default/web") = "42"
 *
 *   put /registry/pods/default/web "{...}"
 *
 *   get /registry/pods/default/web
 * </pre>
 * Compares: {@code value|version|create|mod|lease("KEY") =|!=|>|< "X"}. Requests: {@code put KEY
 * VALUE}, {@code get KEY [--prefix]}, {@code del KEY [--prefix]}. Quotes group words; {@code \"}
 * is a quote inside them.
 */
final class TxnParser {
  private TxnParser() {}

  private static final Pattern COMPARE = Pattern.compile("\\s*(value|version|create|mod|lease)\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)\\s*(=|!=|>|<)\\s*(.*)$");

  static TxnRequest parse(List<String> lines) {
    List<List<String>> blocks = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    int b = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        if (++b > 2) throw new IllegalArgumentException("txn: more than three blocks (compares, success, failure)");
        continue;
      }
      blocks.get(b).add(line);
    }
    List<Compare> cmps = new ArrayList<>();
    for (String line : blocks.get(0)) cmps.add(compare(line));
    return new TxnRequest(cmps, ops(blocks.get(1)), ops(blocks.get(2)));
  }

  private static Compare compare(String line) {
    Matcher m = COMPARE.matcher(line);
    if (!m.matches()) throw new IllegalArgumentException("txn: bad compare '" + line + "': expected e.g. mod(\"KEY\") = \"5\"");
    String key = unescape(m.group(2));
    List<String> rhs = words(m.group(4));
    if (rhs.size() != 1) throw new IllegalArgumentException("txn: bad compare '" + line + "': one value after the operator");
    Compare.Result res = switch (m.group(3)) {
      case "=" -> Compare.Result.EQUAL;
      case "!=" -> Compare.Result.NOT_EQUAL;
      case ">" -> Compare.Result.GREATER;
      default -> Compare.Result.LESS;
    };
    String v = rhs.get(0);
    Compare.Target t = Compare.Target.valueOf(m.group(1).toUpperCase());
    if (t == Compare.Target.VALUE) return new Compare(key, t, res, 0, v.getBytes(StandardCharsets.UTF_8));
    try {
      long n = t == Compare.Target.LEASE ? Long.parseUnsignedLong(v, 16) : Long.parseLong(v);
      return new Compare(key, t, res, n, null);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("txn: '" + v + "' is not a number in '" + line + "'");
    }
  }

  private static List<Op> ops(List<String> lines) {
    List<Op> out = new ArrayList<>();
    for (String line : lines) {
      List<String> w = words(line);
      boolean prefix = w.remove("--prefix");
      switch (w.isEmpty() ? "" : w.get(0)) {
        case "put" -> {
          if (w.size() != 3) throw new IllegalArgumentException("txn: expected 'put KEY VALUE', got '" + line + "'");
          out.add(PutRequest.of(w.get(1), w.get(2).getBytes(StandardCharsets.UTF_8)));
        }
        case "get" -> {
          if (w.size() != 2) throw new IllegalArgumentException("txn: expected 'get KEY [--prefix]', got '" + line + "'");
          out.add(prefix ? RangeRequest.prefix(w.get(1)) : RangeRequest.key(w.get(1)));
        }
        case "del" -> {
          if (w.size() != 2) throw new IllegalArgumentException("txn: expected 'del KEY [--prefix]', got '" + line + "'");
          out.add(new DeleteRequest(w.get(1), prefix ? KvStore.prefixEnd(w.get(1)) : null, false));
        }
        default -> throw new IllegalArgumentException("txn: unknown request '" + line + "': use put, get or del");
      }
    }
    return out;
  }

  /** Splits on blanks, keeping "quoted words" together. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = null;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < s.length()) cur.append(s.charAt(++i));
        else if (c == '"') quoted = false;
        else cur.append(c);
      } else if (c == '"') {
        quoted = true;
        if (cur == null) cur = new StringBuilder();
      } else if (Character.isWhitespace(c)) {
        if (cur != null) out.add(cur.toString());
        cur = null;
      } else {
        if (cur == null) cur = new StringBuilder();
        cur.append(c);
      }
    }
    if (quoted) throw new IllegalArgumentException("txn: unterminated quote in '" + s + "'");
    if (cur != null) out.add(cur.toString());
    return out;
  }

  private static String unescape(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
