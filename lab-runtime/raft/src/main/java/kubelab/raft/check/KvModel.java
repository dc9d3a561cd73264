package kubelab.raft.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sequential specification of a key-value register map: put, get, delete, compare-and-set and
 * a compare-and-swap transaction, each on one key. Operations on different keys never interact, so
 * {@link #partition} checks each key on its own (P-compositionality), and the state of a part is
 * just that key's value (null when absent).
 *
 * <p>The transaction is etcd's {@code Txn} reduced to one key: {@code if value(key) == expected
 * then (put key value | delete key) else get key}. Its answer says which branch ran and, for the
 * else branch, what it read, so a stale or misordered transaction is as visible as a stale get.
 * Delete answers how many keys it removed (etcd's {@code deleted}: 0 or 1 here).
 */
public final class KvModel implements Model<String, KvModel.Input, KvModel.Output> {
  public enum Kind { PUT, GET, CAS, DELETE, TXN }

  /**
   * put(key, value); get(key); delete(key); cas(key, expected, value): set value if the current
   * value equals expected (null: absent); txn(key, expected, value): if the current value equals
   * expected, put value (or delete the key when value is null), else read the key.
   */
  public record Input(Kind kind, String key, String value, String expected) {
    public static Input put(String k, String v) { return new Input(Kind.PUT, k, v, null); }
    public static Input get(String k) { return new Input(Kind.GET, k, null, null); }
    public static Input cas(String k, String expected, String v) { return new Input(Kind.CAS, k, v, expected); }
    public static Input delete(String k) { return new Input(Kind.DELETE, k, null, null); }
    /** {@code value == null}: the then-branch deletes the key. */
    public static Input txn(String k, String expected, String v) { return new Input(Kind.TXN, k, v, expected); }

    @Override
    public String toString() {
      return switch (kind) {
        case PUT -> "put(" + key + ", " + value + ")";
        case GET -> "get(" + key + ")";
        case CAS -> "cas(" + key + ", " + expected + " -> " + value + ")";
        case DELETE -> "delete(" + key + ")";
        case TXN -> "txn(if " + key + " == " + (expected == null ? "absent" : expected) + " then "
            + (value == null ? "delete " + key : "put " + key + "=" + value) + " else get " + key + ")";
      };
    }
  }

  /**
   * What came back: for get, the value (null: absent); for cas, whether it swapped; for delete,
   * whether it removed a key (etcd's deleted = 1); for txn, whether the then-branch ran and, when
   * it did not, the value the else-branch read; put returns ok.
   */
  public record Output(String value, boolean ok) {
    public static final Output OK = new Output(null, true);
    public static Output value(String v) { return new Output(v, true); }
    public static Output swapped(boolean ok) { return new Output(null, ok); }
    public static Output deleted(boolean existed) { return new Output(null, existed); }
    public static Output txnThen() { return new Output(null, true); }
    public static Output txnElse(String read) { return new Output(read, false); }

    @Override
    public String toString() {
      return value != null ? value : (ok ? "ok" : "failed");
    }
  }

  /** The answer the specification gives to {@code in} in {@code state} (null: absent). */
  public static Output expected(String state, Input in) {
    return switch (in.kind()) {
      case PUT -> Output.OK;
      case GET -> Output.value(state);
      case CAS -> Output.swapped(Objects.equals(state, in.expected()));
      case DELETE -> Output.deleted(state != null);
      case TXN -> Objects.equals(state, in.expected()) ? Output.txnThen() : Output.txnElse(state);
    };
  }

  /** The value of the key after {@code in} ran in {@code state}. */
  public static String next(String state, Input in) {
    return switch (in.kind()) {
      case PUT -> in.value();
      case GET -> state;
      case CAS -> Objects.equals(state, in.expected()) ? in.value() : state;
      case DELETE -> null;
      case TXN -> Objects.equals(state, in.expected()) ? in.value() : state;
    };
  }

  public static final KvModel INSTANCE = new KvModel();

  @Override
  public String init() {
    return null;
  }

  @Override
  public Step<String> step(String state, Input in, Output out) {
    // An unknown outcome (timed out) is always possible; a known one must be the specification's.
    if (out != null && !out.equals(expected(state, in))) return Step.illegal();
    return Step.to(next(state, in));
  }

  @Override
  public String describe(Operation<Input, Output> op) {
    String out;
    if (op.outcomeUnknown()) out = "? (timed out)";
    else out = switch (op.input().kind()) {
      case GET -> op.output().value() == null ? "(absent)" : op.output().value();
      case DELETE -> op.output().ok() ? "deleted 1" : "deleted 0";
      case TXN -> op.output().ok() ? "then" : "else, read " + (op.output().value() == null ? "(absent)" : op.output().value());
      default -> op.output().toString();
    };
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
