package kubelab.raft.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sequential specification of a key-value register map: put, get and compare-and-set, each
 * on one key. Operations on different keys never interact, so {@link #partition} checks each key
 * on its own (P-compositionality), and the state of a part is just that key's value (null when
 * absent).
 */
public final class KvModel implements Model<String, KvModel.Input, KvModel.Output> {
  public enum Kind { PUT, GET, CAS }

  /** put(key, value), get(key), or cas(key, expected, value): set value if the current value equals expected (null: absent). */
  public record Input(Kind kind, String key, String value, String expected) {
    public static Input put(String k, String v) { return new Input(Kind.PUT, k, v, null); }
    public static Input get(String k) { return new Input(Kind.GET, k, null, null); }
    public static Input cas(String k, String expected, String v) { return new Input(Kind.CAS, k, v, expected); }

    @Override
    public String toString() {
      return switch (kind) {
        case PUT -> "put(" + key + ", " + value + ")";
        case GET -> "get(" + key + ")";
        case CAS -> "cas(" + key + ", " + expected + " -> " + value + ")";
      };
    }
  }

  /** What came back: for get, the value (null: absent); for cas, whether it swapped; put returns ok. */
  public record Output(String value, boolean ok) {
    public static final Output OK = new Output(null, true);
    public static Output value(String v) { return new Output(v, true); }
    public static Output swapped(boolean ok) { return new Output(null, ok); }

    @Override
    public String toString() {
      return value != null ? value : (ok ? "ok" : "failed");
    }
  }

  public static final KvModel INSTANCE = new KvModel();

  @Override
  public String init() {
    return null;
  }

  @Override
  public Step<String> step(String state, Input in, Output out) {
    return switch (in.kind()) {
      case PUT -> Step.to(in.value());
      case GET -> out == null || Objects.equals(out.value(), state) ? Step.to(state) : Step.illegal();
      case CAS -> {
        boolean swaps = Objects.equals(state, in.expected());
        if (out != null && out.ok() != swaps) yield Step.illegal();
        yield Step.to(swaps ? in.value() : state);
      }
    };
  }

  @Override
  public String describe(Operation<Input, Output> op) {
    String out;
    if (op.outcomeUnknown()) out = "? (timed out)";
    else if (op.input().kind() == Kind.GET && op.output().value() == null) out = "(absent)";
    else out = op.output().toString();
    return "client " + op.client() + " " + op.input() + " -> " + out
        + " [" + op.invoked() + ", " + (op.outcomeUnknown() ? "∞" : op.returned()) + "]";
  }

  @Override
  public List<List<Operation<Input, Output>>> partition(List<Operation<Input, Output>> history) {
    TreeMap<String, List<Operation<Input, Output>>> byKey = new TreeMap<>();
    for (Operation<Input, Output> op : history) byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
    return new ArrayList<>(byKey.values());
  }
}
