package kubelab.raft.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import kubelab.raft.Params;

/**
 * Decides whether a concurrent history is linearizable with respect to a {@link Model} (Herlihy
 * and Wing's condition): every operation appears to take effect at one instant between its
 * invocation and its response, and the resulting sequential history is legal.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization, as in Porcupine:
 * <ol>
 *   <li>Turn the history into a list of call and return events sorted by time (a call before a
 *       return at the same instant, so touching operations count as concurrent).
 *   <li>Walk the list. At a call, try to linearize that operation now: if the model accepts its
 *       output in the current state, and the pair (set of linearized operations, new state) was
 *       never seen before, take it: remove its call and return from the list, push it on a stack
 *       and restart from the head.
 *   <li>At a return whose operation is not linearized yet, this branch failed (that operation
 *       had to take effect before now): pop the last choice, put its events back, and try the
 *       next call after it.
 *   <li>The history is linearizable when the list is empty; it is not when a failure finds the
 *       stack empty.
 * </ol>
 * The memo makes each (linearized set, state) pair explored once, which keeps the search fast for
 * the histories a simulation produces; the model's {@link Model#partition} splits a key-value
 * history by key first (P-compositionality), which shrinks it further.
 */
public final class LinearizabilityChecker {
  private LinearizabilityChecker() {}

  public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history) {
    return check(model, history, Params.CHECK_MAX_STEPS);
  }

  public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history, long maxStepsPerPart) {
    long steps = 0;
    boolean unknown = false;
    String unknownWhy = "";
    for (List<Operation<I, O>> part : model.partition(history)) {
      Search<S, I, O> s = new Search<>(model, part, maxStepsPerPart);
      CheckResult.Outcome o = s.run();
      steps += s.steps;
      if (o == CheckResult.Outcome.ILLEGAL) return new CheckResult(o, s.explain(), steps);
      if (o == CheckResult.Outcome.UNKNOWN) {
        unknown = true;
        unknownWhy = "gave up after " + s.steps + " steps on a part of " + part.size() + " operations";
      }
    }
    if (unknown) return new CheckResult(CheckResult.Outcome.UNKNOWN, unknownWhy, steps);
    return new CheckResult(CheckResult.Outcome.OK, "", steps);
  }

  /** A doubly linked list node: a call or a return event of operation {@code op}. */
  private static final class Event {
    final int op;
    final boolean call;
    final long time;
    Event match; // call -> its return
    Event prev, next;

    Event(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  private record Memo(BitSet linearized, Object state) {}

  private static final class Search<S, I, O> {
    final Model<S, I, O> model;
    final List<Operation<I, O>> ops;
    final long maxSteps;
    long steps;
    // For the explanation: the deepest point reached, and the operation that could not be placed there.
    int bestDepth = -1;
    List<Integer> bestOrder = List.of();
    int stuckAt = -1;

    Search(Model<S, I, O> model, List<Operation<I, O>> ops, long maxSteps) {
      this.model = model;
      this.ops = ops;
      this.maxSteps = maxSteps;
    }

    CheckResult.Outcome run() {
      int n = ops.size();
      List<Event> events = new ArrayList<>(2 * n);
      for (int i = 0; i < n; i++) {
        Event c = new Event(i, true, ops.get(i).invoked());
        Event r = new Event(i, false, ops.get(i).returned());
        c.match = r;
        events.add(c);
        events.add(r);
      }
      events.sort((a, b) -> {
        if (a.time != b.time) return Long.compare(a.time, b.time);
        if (a.call != b.call) return a.call ? -1 : 1; // calls first: touching operations overlap
        return Integer.compare(a.op, b.op);
      });
      Event head = new Event(-1, true, Long.MIN_VALUE);
      Event prev = head;
      for (Event e : events) {
        prev.next = e;
        e.prev = prev;
        prev = e;
      }

      BitSet linearized = new BitSet(n);
      HashSet<Memo> seen = new HashSet<>();
      ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {Event call, S stateBefore}
      S state = model.init();
      Event e = head.next;
      while (head.next != null) {
        if (++steps > maxSteps) return CheckResult.Outcome.UNKNOWN;
        if (e.call) {
          Operation<I, O> op = ops.get(e.op);
          Model.Step<S> st = model.step(state, op.input(), op.outcomeUnknown() ? null : op.output());
          if (st.legal()) {
            BitSet next = (BitSet) linearized.clone();
            next.set(e.op);
            if (seen.add(new Memo(next, st.state()))) {
              stack.push(new Object[] {e, state});
              state = st.state();
              linearized.set(e.op);
              lift(e);
              e = head.next;
              continue;
            }
          }
          e = e.next;
        } else {
          // Operation e.op returned but could not be linearized before this point: backtrack.
          if (stack.size() > bestDepth) {
            bestDepth = stack.size();
            bestOrder = order(stack);
            stuckAt = e.op;
          }
          if (stack.isEmpty()) return CheckResult.Outcome.ILLEGAL;
          Object[] top = stack.pop();
          Event call = (Event) top[0];
          @SuppressWarnings("unchecked") S before = (S) top[1];
          state = before;
          linearized.clear(call.op);
          unlift(call);
          e = call.next;
        }
      }
      return CheckResult.Outcome.OK;
    }

    private static List<Integer> order(ArrayDeque<Object[]> stack) {
      List<Integer> out = new ArrayList<>();
      for (var it = stack.descendingIterator(); it.hasNext(); ) out.add(((Event) it.next()[0]).op);
      return out;
    }

    private static void lift(Event call) {
      call.prev.next = call.next;
      if (call.next != null) call.next.prev = call.prev;
      Event r = call.match;
      r.prev.next = r.next;
      if (r.next != null) r.next.prev = r.prev;
    }

    private static void unlift(Event call) {
      Event r = call.match;
      r.prev.next = r;
      if (r.next != null) r.next.prev = r;
      call.prev.next = call;
      if (call.next != null) call.next.prev = call;
    }

    String explain() {
      StringBuilder sb = new StringBuilder();
      sb.append("not linearizable: ").append(ops.size()).append(" operations; the longest legal order found places ")
          .append(Math.max(bestDepth, 0)).append(" of them, then nothing can explain:\n  ")
          .append(stuckAt >= 0 ? model.describe(ops.get(stuckAt)) : "?");
      sb.append("\nlegal prefix (in order):");
      int from = Math.max(0, bestOrder.size() - 8);
      if (from > 0) sb.append("\n  ... ").append(from).append(" earlier operations");
      for (int i = from; i < bestOrder.size(); i++) sb.append("\n  ").append(model.describe(ops.get(bestOrder.get(i))));
      return sb.toString();
    }
  }

}
