package kubelab.cri.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The fake runtime's stand-in for a process: a tiny interpreter of the commands tests and the
 * kubelet's tests use, with busybox's meaning: {@code true}, {@code false}, {@code echo ...},
 * {@code sleep N}, {@code exit N}, {@code hostname}, and {@code sh -c 'a; b; c'} of those.
 * Anything else is "not found" (exit 127 at start, as the real runtime reports it).
 *
 * <p>Like a real PID 1 without handlers, a running program ignores SIGTERM; only SIGKILL
 * (exit 137) ends it early.
 */
final class FakeProgram {
  /** Thrown by parse for a command the fake cannot run. */
  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String cmd) {
      super("exec: \"" + cmd + "\": executable file not found in $PATH");
    }
  }

  private final List<List<String>> steps;
  private final String hostname;
  private final CountDownLatch killed = new CountDownLatch(1);

  private FakeProgram(List<List<String>> steps, String hostname) {
    this.steps = steps;
    this.hostname = hostname;
  }

  static FakeProgram parse(List<String> argv, String hostname) {
    if (argv.isEmpty()) throw new NotFound("");
    List<List<String>> steps = new ArrayList<>();
    String cmd0 = base(argv.get(0));
    if ((cmd0.equals("sh") || cmd0.equals("ash")) && argv.size() >= 3 && argv.get(1).equals("-c")) {
      for (String part : argv.get(2).split(";|&&")) {
        String p = part.trim();
        if (p.isEmpty()) continue;
        steps.add(words(p));
      }
    } else {
      steps.add(argv);
    }
    for (List<String> s : steps) {
      String c = base(s.get(0));
      if (!List.of("true", "false", "echo", "sleep", "exit", "hostname").contains(c)) throw new NotFound(s.get(0));
    }
    return new FakeProgram(steps, hostname);
  }

  private static String base(String s) {
    return s.substring(s.lastIndexOf('/') + 1);
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (char ch : s.toCharArray()) {
      if (quote != 0) {
        if (ch == quote) quote = 0;
        else cur.append(ch);
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (Character.isWhitespace(ch)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(ch);
      }
    }
    if (cur.length() > 0) out.add(cur.toString());
    return out;
  }

  /** SIGKILL: ends a running program at once with 137. */
  void kill() {
    killed.countDown();
  }

  /** Runs to the end (blocking); output goes to {@code out}; returns the exit code. */
  int run(ByteArrayOutputStream out) {
    int last = 0;
    for (List<String> s : steps) {
      String c = base(s.get(0));
      switch (c) {
        case "true" -> last = 0;
        case "false" -> last = 1;
        case "echo" -> {
          write(out, String.join(" ", s.subList(1, s.size())) + "\n");
          last = 0;
        }
        case "hostname" -> {
          write(out, hostname + "\n");
          last = 0;
        }
        case "exit" -> {
          return s.size() > 1 ? Integer.parseInt(s.get(1)) : last;
        }
        case "sleep" -> {
          double secs = s.size() > 1 ? Double.parseDouble(s.get(1)) : 0;
          try {
            if (killed.await((long) (secs * 1000), TimeUnit.MILLISECONDS)) return 137;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 137;
          }
          last = 0;
        }
        default -> throw new NotFound(c);
      }
      if (killed.getCount() == 0) return 137;
    }
    return last;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(b, 0, b.length);
    }
  }
}
