package kubelab.raft.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import kubelab.raft.check.KvModel;

/**
 * The simulated application: a key-value map that applies committed {@link KvCommand}s in log
 * order, and its snapshot encoding. It remembers each client's last operation and result (the
 * dissertation's client sessions, §6.3), so a command that reaches the log twice (a duplicated
 * forwarded proposal) takes effect once.
 */
final class KvStateMachine {
  private final TreeMap<String, String> data = new TreeMap<>();
  private final TreeMap<Integer, Long> lastOp = new TreeMap<>();
  private final TreeMap<Integer, KvModel.Output> lastResult = new TreeMap<>();

  /** Applies a command; a duplicate returns the result of its first application without effect. */
  KvModel.Output apply(KvCommand c) {
    long last = lastOp.getOrDefault(c.client(), -1L);
    if (c.op() <= last) return c.op() == last ? lastResult.get(c.client()) : null;
    KvModel.Input in = c.input();
    KvModel.Output out = switch (in.kind()) {
      case PUT -> {
        data.put(in.key(), in.value());
        yield KvModel.Output.OK;
      }
      case CAS -> {
        boolean swaps = Objects.equals(data.get(in.key()), in.expected());
        if (swaps) data.put(in.key(), in.value());
        yield KvModel.Output.swapped(swaps);
      }
      case GET -> KvModel.Output.value(data.get(in.key()));
      case DELETE -> KvModel.Output.deleted(data.remove(in.key()) != null);
      case TXN -> {
        String cur = data.get(in.key());
        if (!Objects.equals(cur, in.expected())) yield KvModel.Output.txnElse(cur);
        if (in.value() == null) data.remove(in.key()); else data.put(in.key(), in.value());
        yield KvModel.Output.txnThen();
      }
    };
    lastOp.put(c.client(), c.op());
    lastResult.put(c.client(), out);
    return out;
  }

  String get(String key) {
    return data.get(key);
  }

  /** Snapshot encoding: lines {@code k key value}, {@code s client op kind value ok}. */
  byte[] encode() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : data.entrySet()) sb.append("k ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
    for (Map.Entry<Integer, Long> e : lastOp.entrySet()) {
      KvModel.Output r = lastResult.get(e.getKey());
      sb.append("s ").append(e.getKey()).append(' ').append(e.getValue()).append(' ')
          .append(r.value() == null ? "~" : r.value()).append(' ').append(r.ok()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static KvStateMachine decode(byte[] bytes) {
    KvStateMachine kv = new KvStateMachine();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.isEmpty()) continue;
      String[] f = line.split(" ");
      if (f[0].equals("k")) {
        kv.data.put(f[1], f[2]);
      } else {
        int client = Integer.parseInt(f[1]);
        kv.lastOp.put(client, Long.parseLong(f[2]));
        kv.lastResult.put(client, new KvModel.Output(f[3].equals("~") ? null : f[3], Boolean.parseBoolean(f[4])));
      }
    }
    return kv;
  }
}
