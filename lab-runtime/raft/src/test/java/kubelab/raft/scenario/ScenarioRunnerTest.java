package kubelab.raft.scenario;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The script harness itself: it must be able to fail, and it reports user mistakes as one line. */
class ScenarioRunnerTest {
  @Test
  void aWrongExpectationFailsAndSaysWhere() {
    String script = "add-nodes 3\n----\nnot what it prints\n\ncampaign 1\nstabilize\n----\nok\n";
    ScenarioRunner.Result r = ScenarioRunner.run(script);
    assertFalse(r.passed());
    String f = r.firstFailure("t.txt");
    assertTrue(f.startsWith("t.txt:1: output of"), f);
    assertTrue(f.contains("1 started: term 0"), f);
  }

  @Test
  void rewriteProducesAScriptThatPasses() {
    String script = "add-nodes 3\n----\n\ncampaign 1\nstabilize\n----\n\nstatus 1\n----\n";
    ScenarioRunner.Result r = ScenarioRunner.run(script);
    assertFalse(r.passed());
    ScenarioRunner.Result again = ScenarioRunner.run(r.rewritten());
    assertTrue(again.passed(), again.firstFailure("rewritten"));
    assertTrue(r.rewritten().contains("1: leader term=1"), r.rewritten());
  }

  @Test
  void userMistakesAreOneLineErrorsInTheOutput() {
    ScenarioRunner.Result r = ScenarioRunner.run("frobnicate 1\nadd-nodes 2\ncampaign 9\npartition 1 2\n", true);
    String t = r.transcript();
    assertTrue(t.contains("error: unknown verb 'frobnicate' (verbs: add-nodes, campaign"), t);
    assertTrue(t.contains("error: no node 9 (nodes: [1, 2])"), t);
    assertTrue(t.contains("error: name at least two groups, separated by | (usage: partition"), t);
  }

  @Test
  void strictParsingRequiresExpectedOutput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioScript.parse("add-nodes 3\n"));
    assertTrue(e.getMessage().contains("----") && e.getMessage().contains("expected output"), e.getMessage());
  }

  @Test
  void everyVerbHasUsageAndHelp() {
    assertTrue(ScenarioCommands.all().size() >= 20);
    ScenarioCommands.all().forEach((name, c) -> {
      assertTrue(c.usage().startsWith(name), name);
      assertFalse(c.help().isBlank(), name);
    });
  }
}
