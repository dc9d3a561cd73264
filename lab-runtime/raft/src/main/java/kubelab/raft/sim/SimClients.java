package kubelab.raft.sim;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.Params;
import kubelab.raft.check.KvModel;
import kubelab.raft.check.Operation;

/**
 * The simulated clients: {@link Params#SIM_CLIENTS} of them, each with one operation in flight
 * on {@link Params#SIM_KEYS} keys: put, get (a ReadIndex read), compare-and-set, delete, and a
 * compare-and-swap transaction (etcd's optimistic concurrency: if the key still holds what I read,
 * write or delete it, else tell me what it holds). Each records when it invoked an operation and
 * when the answer came back, or that it gave up after {@link Params#SIM_CLIENT_TIMEOUT_MS} (then
 * a write's outcome is unknown: it may still take effect). A refused proposal (no leader) is left
 * out of the history: it certainly did not happen. The history goes to the linearizability
 * checker at the end of the schedule.
 *
 * <p>Part of one {@link Simulation}; every random choice comes from its seed.
 */
final class SimClients {
  private final Simulation sim;
  private final long[] nextOp = new long[Params.SIM_CLIENTS];
  private final long[] preferredNode = new long[Params.SIM_CLIENTS];
  final List<Operation<KvModel.Input, KvModel.Output>> history = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  int unknownOps;
  int deletes;
  int txns;

  SimClients(Simulation sim) {
    this.sim = sim;
  }

  /** Each client picks a node and starts its first operation shortly after the cluster starts. */
  void start() {
    for (int c = 0; c < Params.SIM_CLIENTS; c++) {
      preferredNode[c] = randomNode();
      sim.schedule(50 + sim.rng.nextInt(50), new Simulation.ClientNext(c));
    }
  }

  void startOp(int client) {
    if (sim.now() >= sim.options.durationMs()) return;
    String key = "k" + sim.rng.nextInt(Params.SIM_KEYS);
    int dice = sim.rng.nextInt(100);
    long op = nextOp[client]++;
    String v = "c" + client + "." + op;
    KvModel.Input in;
    if (dice < 35) {
      in = KvModel.Input.put(key, v);
    } else if (dice < 65) {
      in = KvModel.Input.get(key);
    } else if (dice < 75) {
      in = KvModel.Input.cas(key, expectedValue(), v);
    } else if (dice < 85) {
      in = KvModel.Input.delete(key);
      deletes++;
    } else {
      // etcd's optimistic concurrency: if the key still holds what I read, write (or delete) it.
      in = KvModel.Input.txn(key, expectedValue(), sim.rng.nextInt(4) == 0 ? null : v);
      txns++;
    }
    if (in.value() != null) written.add(in.value());
    Simulation.ClientOp o = new Simulation.ClientOp(client, op, in, sim.now());
    long target = preferredNode[client];
    if (sim.tracing()) sim.trace("client " + client + " invokes " + in + " at node " + target);
    sim.schedule(sim.network.delay(), new Simulation.ClientArrive(o, target));
    sim.schedule(Params.SIM_CLIENT_TIMEOUT_MS, new Simulation.ClientTimeout(o));
  }

  /** A value some client wrote (most compare-and-swaps expect one), or null (absent). */
  private String expectedValue() {
    return written.isEmpty() || sim.rng.nextInt(4) == 0 ? null : written.get(sim.rng.nextInt(written.size()));
  }

  /** A random node that is not removed from the cluster: where a client sends its next request. */
  long randomNode() {
    List<Long> live = new ArrayList<>();
    for (SimNode x : sim.nodes.values()) if (!x.removed) live.add(x.id);
    return live.isEmpty() ? 1 : live.get(sim.rng.nextInt(live.size()));
  }

  void reply(Simulation.ClientOp op, KvModel.Output out, long node) {
    sim.schedule(sim.network.delay(), new Simulation.ClientReply(op, out, false, node));
  }

  void replyDropped(Simulation.ClientOp op, long node) {
    sim.schedule(sim.network.delay(), new Simulation.ClientReply(op, null, true, node));
  }

  void finishOp(Simulation.ClientReply r) {
    Simulation.ClientOp op = r.op();
    if (op.done) return; // it timed out already: its outcome stays unknown
    op.done = true;
    if (r.dropped()) {
      // Nothing was appended: the operation certainly did not happen; leave it out of the history.
      if (sim.tracing()) sim.trace("client " + op.client + " " + op.input + " refused by node " + r.node() + " (no leader)");
      preferredNode[op.client] = randomNode();
    } else {
      if (sim.tracing()) sim.trace("client " + op.client + " " + op.input + " -> " + r.out() + " from node " + r.node());
      history.add(new Operation<>(op.client, op.input, r.out(), op.invoked, sim.now()));
    }
    sim.schedule(sim.rng.nextInt(10), new Simulation.ClientNext(op.client));
  }

  void timeoutOp(Simulation.ClientOp op) {
    if (op.done) return;
    op.done = true;
    if (op.input.kind() != KvModel.Kind.GET) {
      // It may or may not take effect later: the checker may place it anywhere after its call.
      history.add(new Operation<>(op.client, op.input, null, op.invoked, Operation.UNKNOWN));
      unknownOps++;
    }
    if (sim.tracing()) sim.trace("client " + op.client + " " + op.input + " timed out");
    preferredNode[op.client] = randomNode();
    sim.schedule(sim.rng.nextInt(10), new Simulation.ClientNext(op.client));
  }
}
