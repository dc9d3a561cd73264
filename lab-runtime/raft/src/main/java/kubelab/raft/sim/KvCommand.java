package kubelab.raft.sim;

import java.nio.charset.StandardCharsets;
import kubelab.raft.check.KvModel;

/**
 * A client's write as it travels in a log entry: who sent it (client and per-client operation
 * number, for deduplication) and what it does. Encoded as one line of text,
 * {@code client|op|KIND|key|value|expected}, with {@code ~} for null.
 */
record KvCommand(int client, long op, KvModel.Input input) {
  byte[] encode() {
    return (client + "|" + op + "|" + input.kind() + "|" + input.key() + "|" + nz(input.value()) + "|" + nz(input.expected()))
        .getBytes(StandardCharsets.UTF_8);
  }

  static KvCommand decode(byte[] data) {
    String[] f = new String(data, StandardCharsets.UTF_8).split("\\|", -1);
    if (f.length != 6) throw new IllegalArgumentException("not a KV command: " + new String(data, StandardCharsets.UTF_8));
    return new KvCommand(Integer.parseInt(f[0]), Long.parseLong(f[1]),
        new KvModel.Input(KvModel.Kind.valueOf(f[2]), f[3], zn(f[4]), zn(f[5])));
  }

  private static String nz(String s) {
    return s == null ? "~" : s;
  }

  private static String zn(String s) {
    return s.equals("~") ? null : s;
  }
}
