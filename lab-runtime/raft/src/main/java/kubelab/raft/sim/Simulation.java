package kubelab.raft.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.raft.Config;
import kubelab.raft.Entry;
import kubelab.raft.Message;
import kubelab.raft.Params;
import kubelab.raft.Ready;
import kubelab.raft.check.CheckResult;
import kubelab.raft.check.KvModel;
import kubelab.raft.check.LinearizabilityChecker;
import kubelab.raft.check.Operation;
import kubelab.raft.scenario.Format;

/**
 * A deterministic simulation of a whole Raft cluster with clients, in one thread: one seed drives
 * every random choice (message delays, loss, duplication, partitions, crashes, restarts, leader
 * transfers, election jitter, what clients do), so a seed replays exactly.
 *
 * <p>Time is simulated milliseconds in an event queue ordered by (time, sequence number). Nodes
 * tick every {@link Params#SIM_TICK_MS}; clients issue put/get/cas on a few keys, each recording
 * when it invoked an operation and when the answer came back (or that it timed out). Faults run
 * for the first 70% of the schedule, then the network heals and every node restarts, so the
 * cluster ends calm.
 *
 * <p>Checked while it runs: <b>election safety</b> (at most one leader per term) and <b>state
 * machine safety</b> (no two nodes apply different entries at the same index), plus every
 * invariant the core itself enforces (an exception from the core is a violation). Checked at the
 * end: the client history is <b>linearizable</b> ({@link LinearizabilityChecker}).
 */
public final class Simulation {
  // ---- events ----
  sealed interface Event permits Tick, Deliver, ClientNext, ClientArrive, ClientReply, ClientTimeout, Fault, Calm, Restart, SnapReport {}
  record Tick(long node) implements Event {}
  record Deliver(Message m) implements Event {}
  record ClientNext(int client) implements Event {}
  record ClientArrive(ClientOp op, long node) implements Event {}
  record ClientReply(ClientOp op, KvModel.Output out, boolean dropped, long node) implements Event {}
  record ClientTimeout(ClientOp op) implements Event {}
  record Fault() implements Event {}
  record Calm() implements Event {}
  record Restart(long node) implements Event {}
  record SnapReport(long leader, long to, boolean ok) implements Event {}

  private record Scheduled(long time, long seq, Event event) {}

  /** A client operation in flight. */
  static final class ClientOp {
    final int client;
    final long op;
    final KvModel.Input input;
    final long invoked;
    boolean done;

    ClientOp(int client, long op, KvModel.Input input, long invoked) {
      this.client = client;
      this.op = op;
      this.input = input;
      this.invoked = invoked;
    }
  }

  final SimOptions options;
  final long seed;
  final SplittableRandom rng;
  final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  final SimNetwork network = new SimNetwork(this);
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) ->
      a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long seq;
  private long now;
  private final long calmAt;

  // Clients.
  private final long[] nextOp;
  private final long[] preferredNode;
  private final List<Operation<KvModel.Input, KvModel.Output>> history = new ArrayList<>();
  private final List<String> written = new ArrayList<>();
  private int unknownOps;

  // Invariants and counters.
  private final List<String> violations = new ArrayList<>();
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final TreeSet<Long> candidateTerms = new TreeSet<>();
  private final Map<Long, Entry> appliedAt = new HashMap<>();
  private final Map<Long, Long> appliedBy = new HashMap<>();
  private int crashes;
  int snapshotsDelivered;

  private Simulation(SimOptions options, long seed) {
    this.options = options;
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
    this.calmAt = options.durationMs() * 7L / 10;
    this.nextOp = new long[Params.SIM_CLIENTS];
    this.preferredNode = new long[Params.SIM_CLIENTS];
  }

  /** Runs one schedule. Pure: the same options and seed give the same result. */
  public static SimResult run(SimOptions options, long seed) {
    return new Simulation(options, seed).run();
  }

  private SimResult run() {
    long[] peers = new long[options.nodes()];
    for (int i = 0; i < peers.length; i++) peers[i] = i + 1;
    // Per-seed variations of the configuration (the same on every node).
    boolean preVote = options.preVote() != null ? options.preVote() : rng.nextInt(4) != 0;
    boolean checkQuorum = options.checkQuorum() != null ? options.checkQuorum() : rng.nextInt(4) != 0;
    long maxMsg = new long[] {1, 1024, Config.DEFAULT_MAX_SIZE_PER_MSG}[rng.nextInt(3)];
    int inflight = new int[] {1, 4, Config.DEFAULT_MAX_INFLIGHT_MSGS}[rng.nextInt(3)];
    trace("config: " + options.nodes() + " nodes, preVote=" + preVote + " checkQuorum=" + checkQuorum
        + " maxSizePerMsg=" + maxMsg + " maxInflightMsgs=" + inflight + " jitter=" + options.jitter() + " bug=" + options.bug());
    for (long id : peers) {
      Config.Builder b = Config.builder(id).peers(peers).preVote(preVote).checkQuorum(checkQuorum)
          .maxSizePerMsg(maxMsg).maxInflightMsgs(inflight).bug(options.bug());
      if (tracing()) b.logger(line -> trace(line));
      SimNode n = new SimNode(id, this, b.build());
      nodes.put(id, n);
      n.start(rng, options.jitter());
      schedule(rng.nextInt(Params.SIM_TICK_MS), new Tick(id));
    }
    for (int c = 0; c < Params.SIM_CLIENTS; c++) {
      preferredNode[c] = 1 + rng.nextInt(options.nodes());
      schedule(50 + rng.nextInt(50), new ClientNext(c));
    }
    if (options.faults()) schedule(nextFaultDelay(), new Fault());
    schedule(calmAt, new Calm());
    long end = options.durationMs() + Params.SIM_CLIENT_TIMEOUT_MS + 100L;
    try {
      while (!queue.isEmpty()) {
        Scheduled s = queue.poll();
        if (s.time > end) break;
        now = s.time;
        handle(s.event);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The core refuses to continue when an invariant breaks (a conflict with a committed entry,
      // a commit index beyond the log, ...): that is a violation, not a crash of the simulator.
      violation("core invariant failed at " + now + " ms: " + e.getMessage());
    }
    boolean checkUnknown = false;
    if (violations.isEmpty()) {
      CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history);
      if (r.outcome() == CheckResult.Outcome.ILLEGAL) violation("history is not linearizable: " + r.explanation());
      checkUnknown = r.outcome() == CheckResult.Outcome.UNKNOWN;
    }
    int split = 0;
    for (long t : candidateTerms) if (!leaderOfTerm.containsKey(t)) split++;
    return new SimResult(seed, List.copyOf(violations), leaderOfTerm.size(), candidateTerms.size(), split,
        history.size(), unknownOps, network.sent, crashes, snapshotsDelivered, checkUnknown);
  }

  private void handle(Event ev) {
    if (ev instanceof Tick t) {
      SimNode n = nodes.get(t.node());
      if (n.up()) {
        n.raw.tick();
        n.processReady();
      }
      schedule(Params.SIM_TICK_MS, t);
    } else if (ev instanceof Deliver d) {
      network.deliver(d.m());
    } else if (ev instanceof ClientNext c) {
      startOp(c.client());
    } else if (ev instanceof ClientArrive a) {
      nodes.get(a.node()).clientRequest(a.op());
    } else if (ev instanceof ClientReply r) {
      finishOp(r);
    } else if (ev instanceof ClientTimeout t) {
      timeoutOp(t.op());
    } else if (ev instanceof Fault) {
      fault();
    } else if (ev instanceof Calm) {
      calm();
    } else if (ev instanceof Restart r) {
      restart(nodes.get(r.node()));
    } else if (ev instanceof SnapReport s) {
      SimNode leader = nodes.get(s.leader());
      if (leader.up()) {
        leader.raw.reportSnapshot(s.to(), s.ok());
        leader.processReady();
      }
    }
  }

  void schedule(long delay, Event e) {
    queue.add(new Scheduled(now + delay, seq++, e));
  }

  // ---------------------------------------------------------------- clients

  private void startOp(int client) {
    if (now >= options.durationMs()) return;
    String key = "k" + rng.nextInt(Params.SIM_KEYS);
    int dice = rng.nextInt(100);
    long op = nextOp[client]++;
    KvModel.Input in;
    if (dice < 45) {
      String v = "c" + client + "." + op;
      in = KvModel.Input.put(key, v);
    } else if (dice < 80) {
      in = KvModel.Input.get(key);
    } else {
      String expected = written.isEmpty() || rng.nextInt(4) == 0 ? null : written.get(rng.nextInt(written.size()));
      in = KvModel.Input.cas(key, expected, "c" + client + "." + op);
    }
    if (in.value() != null) written.add(in.value());
    ClientOp o = new ClientOp(client, op, in, now);
    long target = preferredNode[client];
    if (tracing()) trace("client " + client + " invokes " + in + " at node " + target);
    schedule(network.delay(), new ClientArrive(o, target));
    schedule(Params.SIM_CLIENT_TIMEOUT_MS, new ClientTimeout(o));
  }

  void reply(ClientOp op, KvModel.Output out, long node) {
    schedule(network.delay(), new ClientReply(op, out, false, node));
  }

  void replyDropped(ClientOp op, long node) {
    schedule(network.delay(), new ClientReply(op, null, true, node));
  }

  private void finishOp(ClientReply r) {
    ClientOp op = r.op();
    if (op.done) return; // it timed out already: its outcome stays unknown
    op.done = true;
    if (r.dropped()) {
      // Nothing was appended: the operation certainly did not happen; leave it out of the history.
      if (tracing()) trace("client " + op.client + " " + op.input + " refused by node " + r.node() + " (no leader)");
      preferredNode[op.client] = 1 + rng.nextInt(options.nodes());
    } else {
      if (tracing()) trace("client " + op.client + " " + op.input + " -> " + r.out() + " from node " + r.node());
      history.add(new Operation<>(op.client, op.input, r.out(), op.invoked, now));
    }
    schedule(rng.nextInt(10), new ClientNext(op.client));
  }

  private void timeoutOp(ClientOp op) {
    if (op.done) return;
    op.done = true;
    if (op.input.kind() != KvModel.Kind.GET) {
      // It may or may not take effect later: the checker may place it anywhere after its call.
      history.add(new Operation<>(op.client, op.input, null, op.invoked, Operation.UNKNOWN));
      unknownOps++;
    }
    if (tracing()) trace("client " + op.client + " " + op.input + " timed out");
    preferredNode[op.client] = 1 + rng.nextInt(options.nodes());
    schedule(rng.nextInt(10), new ClientNext(op.client));
  }

  // ---------------------------------------------------------------- faults

  private long nextFaultDelay() {
    // Exponential inter-arrival times around the mean.
    return 1 + (long) (-Math.log(1 - rng.nextDouble()) * Params.SIM_FAULT_INTERVAL_MS);
  }

  private void fault() {
    if (now >= calmAt) return;
    int dice = rng.nextInt(100);
    int n = options.nodes();
    if (dice < 25 && n > 1) {
      List<Long> ids = new ArrayList<>(nodes.keySet());
      shuffle(ids);
      int cut = 1 + rng.nextInt(n - 1);
      network.groups.clear();
      for (int i = 0; i < n; i++) network.groups.put(ids.get(i), i < cut ? 0 : 1);
      trace("fault: partition " + ids.subList(0, cut) + " | " + ids.subList(cut, n));
    } else if (dice < 40 && n > 1) {
      long leader = currentLeader();
      if (leader != 0) {
        network.groups.clear();
        for (long id : nodes.keySet()) network.groups.put(id, id == leader ? 0 : 1);
        trace("fault: isolate leader " + leader);
      }
    } else if (dice < 60) {
      network.groups.clear();
      trace("fault: heal");
    } else if (dice < 80) {
      long down = nodes.values().stream().filter(x -> !x.up()).count();
      if (down < (n - 1) / 2 + (rng.nextInt(4) == 0 ? 1 : 0)) {
        List<SimNode> up = nodes.values().stream().filter(SimNode::up).toList();
        if (!up.isEmpty()) crash(up.get(rng.nextInt(up.size())), "fault");
      }
    } else if (dice < 90 && n > 1) {
      long leader = currentLeader();
      if (leader != 0) {
        long to = 1 + rng.nextInt(n);
        if (to != leader) {
          trace("fault: transfer leadership " + leader + " -> " + to);
          SimNode l = nodes.get(leader);
          l.raw.transferLeader(to);
          l.processReady();
        }
      }
    } else {
      nodes.values().stream().filter(x -> !x.up()).findFirst().ifPresent(this::restart);
    }
    schedule(nextFaultDelay(), new Fault());
  }

  private void calm() {
    network.groups.clear();
    trace("calm: heal the network and restart every node");
    for (SimNode n : nodes.values()) if (!n.up()) restart(n);
  }

  void crash(SimNode n, String why) {
    if (!n.up()) return;
    crashes++;
    n.crash();
    trace("crash node " + n.id + " (" + why + ")");
    long downFor = 100 + rng.nextInt(700);
    if (now + downFor < calmAt) schedule(downFor, new Restart(n.id));
  }

  private void restart(SimNode n) {
    if (n.up()) return;
    n.start(rng, options.jitter());
    trace("restart node " + n.id + " from its disk (snapshot at " + n.applied + ", last index " + n.disk.lastIndex() + ")");
    n.processReady();
  }

  boolean crashInReady() {
    return options.faults() && now < calmAt && rng.nextDouble() < Params.SIM_CRASH_IN_READY_RATE;
  }

  private long currentLeader() {
    long best = 0;
    long bestTerm = -1;
    for (SimNode x : nodes.values()) {
      if (!x.up()) continue;
      var st = x.raw.status();
      if (st.role() == Ready.Role.LEADER && st.term() > bestTerm) {
        best = x.id;
        bestTerm = st.term();
      }
    }
    return best;
  }

  private void shuffle(List<Long> l) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Long t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }

  // ---------------------------------------------------------------- invariants

  /** Election Safety (Figure 3): at most one leader can be elected in a given term. */
  void observeRole(long node, Ready.Role role, long term) {
    if (role == Ready.Role.CANDIDATE) candidateTerms.add(term);
    if (role != Ready.Role.LEADER) return;
    Long prev = leaderOfTerm.putIfAbsent(term, node);
    if (prev != null && prev != node) violation("election safety: nodes " + prev + " and " + node + " were both leader in term " + term);
  }

  /** State Machine Safety (Figure 3): no two servers apply different commands at the same index. */
  void observeApplied(long node, Entry e) {
    Entry prev = appliedAt.putIfAbsent(e.index(), e);
    if (prev == null) {
      appliedBy.put(e.index(), node);
      return;
    }
    if (prev.term() != e.term() || !Arrays.equals(prev.data(), e.data())) {
      violation("state machine safety: node " + appliedBy.get(e.index()) + " applied " + Format.entry(prev)
          + " but node " + node + " applied " + Format.entry(e) + " at index " + e.index());
    }
  }

  void violation(String what) {
    if (violations.size() < 20) violations.add(what);
    trace("VIOLATION: " + what);
  }

  boolean tracing() {
    return options.trace() != null;
  }

  void trace(String line) {
    if (options.trace() != null) options.trace().accept(String.format("[%6d ms] %s", now, line));
  }
}
