package kubelab.shell.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kubelab.shell.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftSimCommandTest {
  record Run(int code, String out, String err) {}

  static Run lab(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void aCleanRangeReportsSchedulesAndNoViolationsAsJson() {
    Run r = lab("dev", "raft-sim", "--seeds", "1-20", "--nodes", "3", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{\"schedules\":20,\"violations\":0,"), r.out());
    assertTrue(r.out().contains("\"failing_seeds\":[]"), r.out());
  }

  @Test
  void anInjectedBugExitsNonZeroAndSaysHowToReplay() {
    Run r = lab("dev", "raft-sim", "--seeds", "1-40", "--nodes", "5", "--bug", "vote-without-log-check");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("replay one: lab dev raft-sim --seed "), r.out());
    assertTrue(r.out().contains("--bug vote-without-log-check --verbose"), r.out());
  }

  @Test
  void leaderChurnCatchesTheNaiveCommitRuleAndSaysAfterHowManySeeds() {
    Run r = lab("dev", "raft-sim", "--seeds", "1-100", "--nodes", "5", "--fault-mode", "leader-churn",
        "--bug", "commit-by-counting-any-term", "--json");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("\"fault_mode\":\"leader-churn\""), r.out());
    assertTrue(r.out().contains("\"leader_churn_schedules\":100"), r.out());
    assertTrue(r.out().matches("(?s).*\"seeds_to_first_violation\":[1-9][0-9]*,.*"), r.out());
    assertTrue(r.out().contains("--nodes 5 --bug commit-by-counting-any-term --fault-mode leader-churn --verbose"), r.out());
  }

  @Test
  void aCleanRangeReportsMembershipChurnAndTheNewOperations() {
    Run r = lab("dev", "raft-sim", "--seeds", "1-40", "--nodes", "5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*leader churn \\(Figure 8's conditions\\): [1-9][0-9]* schedules.*"), r.out());
    assertTrue(r.out().matches("(?s).*membership: [1-9][0-9]* changes applied, [1-9][0-9]* members added from empty storage.*"), r.out());
    assertTrue(r.out().matches("(?s).*\\([1-9][0-9]* deletes, [1-9][0-9]* txns;.*"), r.out());
    Run none = lab("dev", "raft-sim", "--seeds", "1-5", "--nodes", "3", "--no-membership", "--fault-mode", "random", "--json");
    assertEquals(0, none.code(), none.err());
    assertTrue(none.out().contains("\"membership_changes\":0"), none.out());
    assertTrue(none.out().contains("\"leader_churn_schedules\":0"), none.out());
  }

  @Test
  void fixedPreVoteAndNoJitterAreAccepted() {
    Run r = lab("dev", "raft-sim", "--seeds", "1-5", "--nodes", "3", "--no-faults", "--no-jitter", "--prevote", "false", "--checkquorum", "true");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("split votes:"), r.out());
  }

  @Test
  void verboseReplaysOneSeedWithATrace() {
    Run a = lab("dev", "raft-sim", "--seed", "3", "--nodes", "3", "--verbose");
    Run b = lab("dev", "raft-sim", "--seed", "3", "--nodes", "3", "--verbose");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("became leader at term"), a.out());
    assertEquals(a.out(), b.out(), "a seed replays exactly");
  }

  @Test
  void badInputIsOneLineError() {
    Run r = lab("dev", "raft-sim", "--seeds", "10-1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("lab: --seeds must look like FROM-TO"), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
    Run v = lab("dev", "raft-sim", "--verbose");
    assertTrue(v.err().contains("add --seed N"), v.err());
    Run b = lab("dev", "raft-sim", "--bug", "nope");
    assertTrue(b.err().contains("unknown --bug 'nope'"), b.err());
    Run m = lab("dev", "raft-sim", "--fault-mode", "chaos");
    assertTrue(m.err().startsWith("lab: unknown --fault-mode 'chaos': use mixed, random or leader-churn"), m.err());
  }

  @Test
  void aScriptRunsAndAMismatchFails(@TempDir Path dir) throws Exception {
    Path ok = dir.resolve("mine.txt");
    Files.writeString(ok, "add-nodes 3\ncampaign 1\nstabilize\nstatus 1\n");
    Run r = lab("dev", "raft-sim", "--script", ok.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("1 became leader at term 1"), r.out());
    assertTrue(r.out().contains("1: leader term=1"), r.out());

    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "add-nodes 3\ncampaign 1\nstabilize\nstatus 1\n----\n1: follower term=0\n");
    Run f = lab("dev", "raft-sim", "--script", bad.toString());
    assertEquals(1, f.code());
    assertTrue(f.err().contains("expected:"), f.err());

    Run missing = lab("dev", "raft-sim", "--script", dir.resolve("nope.txt").toString());
    assertTrue(missing.err().startsWith("lab: no such script"), missing.err());
  }
}
