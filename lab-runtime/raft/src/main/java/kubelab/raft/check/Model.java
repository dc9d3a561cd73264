package kubelab.raft.check;

import java.util.List;

/**
 * A sequential specification: the object's state and what each operation does to it (Porcupine's
 * Model). The checker asks whether some order of the operations, consistent with real time, makes
 * every output one this specification could have produced.
 *
 * <p>States must have value semantics ({@code equals}/{@code hashCode}), because the search
 * memoizes (linearized set, state) pairs; they may be null.
 */
public interface Model<S, I, O> {
  /** The result of one step: whether {@code output} is possible, and the state after. */
  record Step<S>(boolean legal, S state) {
    public static <S> Step<S> to(S state) { return new Step<>(true, state); }
    public static <S> Step<S> illegal() { return new Step<>(false, null); }
  }

  S init();

  /**
   * Applies {@code input} to {@code state}. {@code output} is what the client saw, or null if the
   * outcome is unknown (then the step is always legal and just applies the input).
   */
  Step<S> step(S state, I input, O output);

  /**
   * Splits a history into independent parts that can be checked separately
   * (P-compositionality: a history is linearizable iff each part is). By default, one part.
   */
  default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
    return List.of(history);
  }

  /** One line describing an operation, for failure reports. */
  default String describe(Operation<I, O> op) {
    return "client " + op.client() + " " + op.input() + " -> " + (op.outcomeUnknown() ? "?" : op.output())
        + " [" + op.invoked() + ", " + (op.outcomeUnknown() ? "∞" : op.returned()) + "]";
  }
}
