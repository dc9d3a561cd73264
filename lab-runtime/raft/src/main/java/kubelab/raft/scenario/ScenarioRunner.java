package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a script against a fresh {@link ScenarioEnv} and compares each case's output with the
 * expected one. It does no file I/O: callers (the JUnit test, {@code lab dev raft-sim --script})
 * read the file and, in rewrite mode ({@code -Dlab.rewrite=true}), write {@link Result#rewritten()}
 * back. Only commit a rewrite you have read and understood: the expected output is the test.
 */
public final class ScenarioRunner {
  /** One case's outcome. */
  public record CaseResult(ScenarioScript.Case scenarioCase, List<String> actual) {
    public boolean passed() {
      return scenarioCase.expected() == null || actual.equals(scenarioCase.expected());
    }
  }

  /** All cases, the transcript (commands and actual output) and the script rewritten with the actual output. */
  public record Result(List<CaseResult> cases, String transcript, String rewritten) {
    public boolean passed() {
      return cases.stream().allMatch(CaseResult::passed);
    }

    /** A readable account of the first mismatching case, or "" if all passed. */
    public String firstFailure(String scriptName) {
      for (CaseResult c : cases) {
        if (c.passed()) continue;
        return scriptName + ":" + c.scenarioCase().line() + ": output of\n  " + String.join("\n  ", c.scenarioCase().commands())
            + "\nexpected:\n" + String.join("\n", c.scenarioCase().expected())
            + "\nactual:\n" + String.join("\n", c.actual())
            + "\n(if the new output is right, regenerate with -Dlab.rewrite=true and review the diff)";
      }
      return "";
    }
  }

  private ScenarioRunner() {}

  public static Result run(String script) {
    return run(script, false);
  }

  /** Runs a script; {@code lenient} accepts commands without expected output (see {@link ScenarioScript#parse(String, boolean)}). */
  public static Result run(String script, boolean lenient) {
    List<ScenarioScript.Case> cases = ScenarioScript.parse(script, lenient);
    ScenarioEnv env = new ScenarioEnv();
    List<CaseResult> results = new ArrayList<>();
    List<List<String>> outputs = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    for (ScenarioScript.Case c : cases) {
      StringBuilder out = new StringBuilder();
      for (String cmd : c.commands()) {
        transcript.append("> ").append(cmd).append('\n');
        String o;
        try {
          o = ScenarioCommands.run(env, cmd);
        } catch (IllegalArgumentException e) {
          o = env.takeOutput() + "error: " + e.getMessage() + "\n";
        } catch (IllegalStateException e) {
          // The core refused to go on: a safety invariant broke (only with an injected bug).
          o = env.takeOutput() + "raft invariant violated: " + e.getMessage() + "\n";
        }
        out.append(o);
        transcript.append(o);
      }
      List<String> actual = new ArrayList<>();
      for (String l : out.toString().split("\n")) if (!l.isEmpty()) actual.add(l);
      if (actual.isEmpty()) {
        actual.add("ok");
        transcript.append("ok\n");
      }
      results.add(new CaseResult(c, actual));
      outputs.add(actual);
    }
    return new Result(results, transcript.toString(), ScenarioScript.render(cases, outputs));
  }
}
