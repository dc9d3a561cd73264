package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The script format (etcd's datadriven idea, our own syntax). A script is a list of cases; a case
 * is one or more command lines, a {@code ----} line, and the expected output, which ends at the
 * first blank line:
 *
 * <pre>
 * # Comments and blank lines before a case belong to it.
 * add-nodes 3
 * campaign 1
 * stabilize
 * ----
 * 1 became pre-candidate at term 0
 * ...
 * </pre>
 *
 * Commands print no blank lines, so a blank line always ends the output. A case whose commands
 * printed nothing expects {@code ok}.
 */
public final class ScenarioScript {
  /**
   * One case: the lines before it (comments, blanks), its commands, its expected output (null:
   * not checked), and the line where it starts.
   */
  public record Case(List<String> preamble, List<String> commands, List<String> expected, int line) {}

  private ScenarioScript() {}

  /** Parses a script in which every command block has its {@code ----} and expected output. */
  public static List<Case> parse(String text) {
    return parse(text, false);
  }

  /**
   * Parses a script; when {@code lenient}, command lines need no {@code ----} (a learner's own
   * script): each such command is a case with {@code expected == null}, which is not compared.
   */
  public static List<Case> parse(String text, boolean lenient) {
    String[] lines = text.split("\n", -1);
    List<Case> cases = new ArrayList<>();
    List<String> preamble = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    int start = -1;
    int i = 0;
    while (i < lines.length) {
      String l = lines[i];
      if (l.equals("----")) {
        if (commands.isEmpty()) throw new IllegalArgumentException("line " + (i + 1) + ": ---- without a command before it");
        List<String> expected = new ArrayList<>();
        i++;
        while (i < lines.length && !lines[i].isEmpty()) expected.add(lines[i++]);
        cases.add(new Case(List.copyOf(preamble), List.copyOf(commands), expected, start));
        preamble.clear();
        commands.clear();
        start = -1;
        i++; // the blank line
        continue;
      }
      if (l.isBlank() || l.startsWith("#")) {
        if (!commands.isEmpty()) {
          if (!lenient) throw new IllegalArgumentException("line " + (i + 1) + ": a command must be followed by ---- and its expected output");
          flushUnchecked(cases, preamble, commands, start);
          start = -1;
        }
        preamble.add(l);
      } else {
        if (start < 0) start = i + 1;
        commands.add(l.strip());
      }
      i++;
    }
    if (!commands.isEmpty()) {
      if (!lenient) throw new IllegalArgumentException("line " + start + ": the last command has no ---- and expected output");
      flushUnchecked(cases, preamble, commands, start);
    }
    return cases;
  }

  private static void flushUnchecked(List<Case> cases, List<String> preamble, List<String> commands, int start) {
    for (int k = 0; k < commands.size(); k++) {
      cases.add(new Case(k == 0 ? List.copyOf(preamble) : List.of(), List.of(commands.get(k)), null, start + k));
    }
    preamble.clear();
    commands.clear();
  }

  /** Writes the cases back with the given outputs (for the rewrite mode). */
  public static String render(List<Case> cases, List<List<String>> outputs) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      for (String p : k.preamble()) sb.append(p).append('\n');
      for (String cmd : k.commands()) sb.append(cmd).append('\n');
      sb.append("----\n");
      for (String o : outputs.get(c)) sb.append(o).append('\n');
      sb.append('\n');
    }
    return sb.toString();
  }
}
