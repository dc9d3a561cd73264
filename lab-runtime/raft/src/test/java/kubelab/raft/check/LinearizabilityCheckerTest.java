package kubelab.raft.check;

import static kubelab.raft.check.KvModel.Input.cas;
import static kubelab.raft.check.KvModel.Input.delete;
import static kubelab.raft.check.KvModel.Input.get;
import static kubelab.raft.check.KvModel.Input.put;
import static kubelab.raft.check.KvModel.Input.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kubelab.raft.check.CheckResult.Outcome;
import kubelab.raft.check.KvModel.Input;
import kubelab.raft.check.KvModel.Output;
import org.junit.jupiter.api.Test;

/** Known-linearizable and known-violating histories: the checker must tell them apart. */
class LinearizabilityCheckerTest {
  static final long U = Operation.UNKNOWN;

  static Operation<Input, Output> op(int client, Input in, Output out, long call, long ret) {
    return new Operation<>(client, in, out, call, ret);
  }

  static Outcome check(List<Operation<Input, Output>> h) {
    return LinearizabilityChecker.check(KvModel.INSTANCE, h).outcome();
  }

  @Test
  void aSequentialPutThenGetIsLinearizable() {
    // init
    var h = List.of(op(1, put("x", "1"), Output.OK, 0, 10), op(2, get("x"), Output.value("1"), 20, 30));
    // act // check
    assertEquals(Outcome.OK, check(h));
  }

  @Test
  void aReadThatMissesACompletedWriteIsStale() {
    var h = List.of(op(1, put("x", "1"), Output.OK, 0, 10), op(2, get("x"), Output.value(null), 20, 30));
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
    assertEquals(Outcome.ILLEGAL, r.outcome());
    assertTrue(r.explanation().contains("get(x) -> (absent)"), r.explanation());
  }

  @Test
  void aReadConcurrentWithAWriteMaySeeEitherValue() {
    for (String seen : new String[] {null, "1"}) {
      var h = List.of(op(1, put("x", "1"), Output.OK, 0, 100), op(2, get("x"), Output.value(seen), 10, 20));
      assertEquals(Outcome.OK, check(h), "get saw " + seen);
    }
  }

  @Test
  void touchingOperationsCountAsConcurrent() {
    // The get is invoked at the instant the put returns: either order is allowed.
    var h = List.of(op(1, put("x", "1"), Output.OK, 0, 10), op(2, get("x"), Output.value(null), 10, 20));
    assertEquals(Outcome.OK, check(h));
  }

  @Test
  void readsCannotFlipBackAfterBothWritesCompleted() {
    var h = List.of(
        op(1, put("x", "1"), Output.OK, 0, 50),
        op(2, put("x", "2"), Output.OK, 0, 50),
        op(3, get("x"), Output.value("1"), 60, 70),
        op(3, get("x"), Output.value("2"), 80, 90));
    assertEquals(Outcome.ILLEGAL, check(h));
  }

  @Test
  void readsMaySeeConcurrentWritesInOneOrder() {
    var h = List.of(
        op(1, put("x", "1"), Output.OK, 0, 50),
        op(2, put("x", "2"), Output.OK, 0, 50),
        op(3, get("x"), Output.value("1"), 10, 20),
        op(3, get("x"), Output.value("2"), 30, 40),
        op(4, get("x"), Output.value("2"), 60, 70));
    assertEquals(Outcome.OK, check(h));
  }

  @Test
  void aTimedOutWriteMayHaveHappenedOrNot() {
    var happened = List.of(op(1, put("x", "1"), null, 0, U), op(2, get("x"), Output.value("1"), 10, 20));
    var notYet = List.of(op(1, put("x", "1"), null, 0, U), op(2, get("x"), Output.value(null), 10, 20));
    assertEquals(Outcome.OK, check(happened));
    assertEquals(Outcome.OK, check(notYet));
  }

  @Test
  void aTimedOutWriteOnceSeenCannotBeUnseen() {
    var h = List.of(
        op(1, put("x", "1"), null, 0, U),
        op(2, get("x"), Output.value("1"), 10, 20),
        op(2, get("x"), Output.value(null), 30, 40));
    assertEquals(Outcome.ILLEGAL, check(h));
  }

  @Test
  void twoCompareAndSetsFromAbsentCannotBothSucceed() {
    var h = List.of(
        op(1, cas("x", null, "1"), Output.swapped(true), 0, 10),
        op(2, cas("x", null, "2"), Output.swapped(true), 20, 30));
    assertEquals(Outcome.ILLEGAL, check(h));
    var ok = List.of(
        op(1, cas("x", null, "1"), Output.swapped(true), 0, 10),
        op(2, cas("x", null, "2"), Output.swapped(false), 20, 30),
        op(2, cas("x", "1", "3"), Output.swapped(true), 40, 50),
        op(1, get("x"), Output.value("3"), 60, 70));
    assertEquals(Outcome.OK, check(ok));
  }

  @Test
  void aDeleteRemovesTheKeyForLaterReadsAndSaysWhetherItRemovedOne() {
    var ok = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, delete("x"), Output.deleted(true), 20, 30),
        op(1, get("x"), Output.value(null), 40, 50),
        op(2, delete("x"), Output.deleted(false), 60, 70));
    assertEquals(Outcome.OK, check(ok));
    var staleRead = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, delete("x"), Output.deleted(true), 20, 30),
        op(1, get("x"), Output.value("1"), 40, 50));
    assertEquals(Outcome.ILLEGAL, check(staleRead));
    var deletedNothingTwice = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, delete("x"), Output.deleted(true), 20, 30),
        op(3, delete("x"), Output.deleted(true), 40, 50));
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, deletedNothingTwice);
    assertEquals(Outcome.ILLEGAL, r.outcome());
    assertTrue(r.explanation().contains("delete(x) -> deleted 1"), r.explanation());
  }

  @Test
  void aTxnRunsItsThenBranchOnlyIfTheCompareHoldsAndItsElseBranchReadsTheValue() {
    var ok = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, txn("x", "1", "2"), Output.txnThen(), 20, 30),
        op(3, txn("x", "1", null), Output.txnElse("2"), 40, 50),
        op(3, txn("x", "2", null), Output.txnThen(), 60, 70),
        op(1, get("x"), Output.value(null), 80, 90),
        op(2, txn("x", null, "3"), Output.txnThen(), 100, 110));
    assertEquals(Outcome.OK, check(ok));
    // Two clients both saw "1" and both won: a lost update, what optimistic concurrency forbids.
    var lostUpdate = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, txn("x", "1", "a"), Output.txnThen(), 20, 40),
        op(3, txn("x", "1", "b"), Output.txnThen(), 20, 40));
    assertEquals(Outcome.ILLEGAL, check(lostUpdate));
    // The else branch read a value that was already overwritten.
    var staleElse = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(1, put("x", "2"), Output.OK, 20, 30),
        op(2, txn("x", "0", "9"), Output.txnElse("1"), 40, 50));
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, staleElse);
    assertEquals(Outcome.ILLEGAL, r.outcome());
    assertTrue(r.explanation().contains("else, read 1"), r.explanation());
  }

  @Test
  void keysAreCheckedIndependently() {
    // A stale read on y is found even though x's part is fine.
    var h = List.of(
        op(1, put("x", "1"), Output.OK, 0, 10),
        op(2, get("x"), Output.value("1"), 20, 30),
        op(1, put("y", "a"), Output.OK, 40, 50),
        op(2, get("y"), Output.value(null), 60, 70));
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, h);
    assertEquals(Outcome.ILLEGAL, r.outcome());
    assertTrue(r.explanation().contains("get(y)"), r.explanation());
  }

  @Test
  void theStepBudgetGivesUnknownNotAWrongVerdict() {
    List<Operation<Input, Output>> h = new ArrayList<>();
    for (int i = 0; i < 12; i++) h.add(op(i, put("x", "v" + i), Output.OK, 0, 100));
    h.add(op(99, get("x"), Output.value("nope"), 200, 210));
    assertEquals(Outcome.UNKNOWN, LinearizabilityChecker.check(KvModel.INSTANCE, h, 50).outcome());
    assertEquals(Outcome.ILLEGAL, LinearizabilityChecker.check(KvModel.INSTANCE, h).outcome());
  }

  /**
   * Random histories made linearizable by construction (each operation takes effect at a random
   * instant inside its interval, and its output is computed there) must pass; the same history
   * with one read changed to a value never written must fail.
   */
  @Test
  void randomLinearizableHistoriesPassAndACorruptedReadFails() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      int n = 10 + rnd.nextInt(40);
      // Linearization points: distinct instants; intervals around them, overlapping freely.
      List<long[]> points = new ArrayList<>();
      for (int i = 0; i < n; i++) points.add(new long[] {i * 10L + 5, i});
      String value = null;
      List<Operation<Input, Output>> h = new ArrayList<>();
      int lastGet = -1;
      for (int i = 0; i < n; i++) {
        long at = points.get(i)[0];
        long call = at - rnd.nextInt(40);
        long ret = at + rnd.nextInt(40);
        int client = i; // one op per client keeps clients sequential trivially
        int kind = rnd.nextInt(5);
        if (kind == 0) {
          value = "v" + i;
          h.add(op(client, put("k", value), Output.OK, call, ret));
        } else if (kind == 1) {
          h.add(op(client, get("k"), Output.value(value), call, ret));
          lastGet = h.size() - 1;
        } else if (kind == 2) {
          String expected = rnd.nextBoolean() ? value : "v" + rnd.nextInt(n);
          boolean swaps = java.util.Objects.equals(expected, value);
          if (swaps) value = "c" + i;
          h.add(op(client, cas("k", expected, "c" + i), Output.swapped(swaps), call, ret));
        } else if (kind == 3) {
          h.add(op(client, delete("k"), Output.deleted(value != null), call, ret));
          value = null;
        } else {
          String expected = rnd.nextBoolean() ? value : "v" + rnd.nextInt(n);
          String then = rnd.nextInt(3) == 0 ? null : "t" + i;
          if (java.util.Objects.equals(expected, value)) {
            h.add(op(client, txn("k", expected, then), Output.txnThen(), call, ret));
            value = then;
          } else {
            h.add(op(client, txn("k", expected, then), Output.txnElse(value), call, ret));
          }
        }
      }
      assertEquals(Outcome.OK, check(h), "round " + round);
      if (lastGet >= 0) {
        var g = h.get(lastGet);
        h.set(lastGet, op(g.client(), g.input(), Output.value("never-written"), g.invoked(), g.returned()));
        assertEquals(Outcome.ILLEGAL, check(h), "round " + round + " corrupted");
      }
    }
  }
}
