package kubelab.raft.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kubelab.raft.Config;
import kubelab.raft.ConfState;
import kubelab.raft.Message;
import kubelab.raft.Params;
import kubelab.raft.Ready;
import kubelab.raft.check.CheckResult;
import kubelab.raft.check.KvModel;
import kubelab.raft.check.LinearizabilityChecker;

/**
 * A deterministic simulation of a whole Raft cluster with clients, in one thread: one seed drives
 * every random choice (message delays, loss, duplication, partitions, crashes, restarts, leader
 * transfers, membership changes, election jitter, what clients do), so a seed replays exactly.
 *
 * <p>Time is simulated milliseconds in an event queue ordered by (time, sequence number). Nodes
 * tick every {@link Params#SIM_TICK_MS}; clients issue put/get/delete/cas/txn on a few keys, each
 * recording when it invoked an operation and when the answer came back (or that it timed out).
 * Faults run for the first 70% of the schedule, then the network heals, every crashed node
 * restarts and removed members are gone, so the cluster ends calm.
 *
 * <p>The nemesis is {@link SimOptions.FaultMode}'s: random faults, plus in some schedules the
 * {@link LeaderChurn} that sets up the paper's Figure 8. Membership changes are in
 * {@link SimMembership}. The founding membership is written into the log
 * ({@code RawNode.bootstrap}) in half the schedules and given as {@code Config.peers} in the
 * other half; either way every restart must find the membership on its disk.
 *
 * <p>Checked while it runs ({@link SimChecks}): election safety, state machine safety, leader
 * completeness, configuration agreement, plus every invariant the core itself enforces (an
 * exception from the core is a violation). Checked at the end: the client history is
 * <b>linearizable</b> ({@link LinearizabilityChecker}).
 */
public final class Simulation {
  // ---- events ----
  sealed interface Event permits Tick, Deliver, ClientNext, ClientArrive, ClientReply, ClientTimeout, Fault, Calm, Restart, SnapReport, Crash {}
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
  /** Crash {@code node} (if it is up and the crash budget allows). */
  record Crash(long node, String why) implements Event {}

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

  // How this schedule is set up (chosen by the seed, see run()).
  private final List<Long> founders = new ArrayList<>();
  private boolean bootstrapInLog;
  private java.util.function.LongFunction<Config> configOf;
  /** The leader-churn nemesis, or null when this schedule does not run it. */
  LeaderChurn churn;
  SimChecks checks;
  SimMembership membership;

  final SimClients clients = new SimClients(this);

  private final List<String> violations = new ArrayList<>();
  private int crashes;
  int snapshotsDelivered;

  private Simulation(SimOptions options, long seed) {
    this.options = options;
    this.seed = seed;
    this.rng = new SplittableRandom(seed);
    this.calmAt = options.durationMs() * 7L / 10;
  }

  /** Runs one schedule. Pure: the same options and seed give the same result. */
  public static SimResult run(SimOptions options, long seed) {
    return new Simulation(options, seed).run();
  }

  private SimResult run() {
    int n = options.nodes();
    for (long id = 1; id <= n; id++) founders.add(id);
    // Per-seed variations of the configuration (the same on every node).
    boolean preVote = options.preVote() != null ? options.preVote() : rng.nextInt(4) != 0;
    boolean checkQuorum = options.checkQuorum() != null ? options.checkQuorum() : rng.nextInt(4) != 0;
    long maxMsg = new long[] {1, 1024, Config.DEFAULT_MAX_SIZE_PER_MSG}[rng.nextInt(3)];
    int inflight = new int[] {1, 4, Config.DEFAULT_MAX_INFLIGHT_MSGS}[rng.nextInt(3)];
    bootstrapInLog = rng.nextBoolean();
    boolean leaderChurn = options.faults() && switch (options.faultMode()) {
      case RANDOM -> false;
      case LEADER_CHURN -> true;
      case MIXED -> rng.nextInt(Params.SIM_CHURN_ONE_IN) == 0;
    };
    if (leaderChurn) {
      churn = new LeaderChurn(this);
      maxMsg = 1; // old entries and the new leader's no-op travel apart
      inflight = 1;
    }
    checks = new SimChecks(this, bootstrapInLog ? new ConfState(List.of(), List.of()) : new ConfState(founders, List.of()));
    membership = new SimMembership(this, n, bootstrapInLog ? n : 0);
    trace("config: " + n + " nodes, preVote=" + preVote + " checkQuorum=" + checkQuorum
        + " maxSizePerMsg=" + maxMsg + " maxInflightMsgs=" + inflight + " jitter=" + options.jitter() + " bug=" + options.bug()
        + " founding membership " + (bootstrapInLog ? "in the log" : "in Config.peers")
        + " nemesis=" + (!options.faults() ? "none" : leaderChurn ? "leader-churn" : "random")
        + " membership=" + options.membership());
    // Every start of every node uses this configuration: the membership must come from the disk.
    List<Long> peers = bootstrapInLog ? List.of() : List.copyOf(founders);
    long msgSize = maxMsg;
    int window = inflight;
    configOf = id -> {
      Config.Builder b = Config.builder(id).peers(peers).preVote(preVote).checkQuorum(checkQuorum)
          .maxSizePerMsg(msgSize).maxInflightMsgs(window).bug(options.bug());
      if (tracing()) b.logger(this::trace);
      return b.build();
    };
    for (long id : founders) {
      SimNode node = addNode(id);
      if (bootstrapInLog) node.raw.bootstrap(founders);
      node.processReady();
    }
    clients.start();
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
      CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, clients.history);
      if (r.outcome() == CheckResult.Outcome.ILLEGAL) violation("history is not linearizable: " + r.explanation());
      checkUnknown = r.outcome() == CheckResult.Outcome.UNKNOWN;
    }
    int split = 0;
    for (long t : checks.candidateTerms) if (!checks.leaderTerm(t)) split++;
    return new SimResult(seed, List.copyOf(violations), checks.leaders(), checks.candidateTerms.size(), split,
        clients.history.size(), clients.unknownOps, network.sent, crashes, snapshotsDelivered, checkUnknown,
        leaderChurn, churn == null ? 0 : churn.isolations, checks.confChanges() - (bootstrapInLog ? n : 0),
        membership.joins, membership.restartsAfterChange, clients.deletes, clients.txns);
  }

  /** Creates and starts node {@code id} with an empty disk. */
  private SimNode addNode(long id) {
    SimNode node = new SimNode(id, this, configOf.apply(id));
    nodes.put(id, node);
    node.start(rng, options.jitter());
    schedule(rng.nextInt(Params.SIM_TICK_MS), new Tick(id));
    return node;
  }

  /** A member being added: it starts from empty storage, on the leader's side of any partition. */
  void startJoiner(long id, long leader) {
    if (!network.groups.isEmpty()) network.groups.put(id, network.groups.getOrDefault(leader, 0));
    addNode(id);
    trace("membership: node " + id + " starts from empty storage");
  }

  private void handle(Event ev) {
    if (ev instanceof Tick t) {
      SimNode n = nodes.get(t.node());
      if (n.up()) {
        n.raw.tick();
        n.processReady();
      }
      if (!n.removed) schedule(Params.SIM_TICK_MS, t);
    } else if (ev instanceof Deliver d) {
      network.deliver(d.m());
    } else if (ev instanceof ClientNext c) {
      clients.startOp(c.client());
    } else if (ev instanceof ClientArrive a) {
      nodes.get(a.node()).clientRequest(a.op());
    } else if (ev instanceof ClientReply r) {
      clients.finishOp(r);
    } else if (ev instanceof ClientTimeout t) {
      clients.timeoutOp(t.op());
    } else if (ev instanceof Fault) {
      fault();
    } else if (ev instanceof Calm) {
      calm();
    } else if (ev instanceof Restart r) {
      restart(nodes.get(r.node()));
    } else if (ev instanceof Crash c) {
      SimNode n = nodes.get(c.node());
      if (n.up() && crashBudget()) crash(n, c.why(), 100 + rng.nextInt(700));
    } else if (ev instanceof SnapReport s) {
      SimNode leader = nodes.get(s.leader());
      if (leader.up()) {
        leader.raw.reportSnapshot(s.to(), s.ok());
        leader.processReady();
      }
    }
  }

  /** The simulated time, in milliseconds. */
  long now() {
    return now;
  }

  void schedule(long delay, Event e) {
    queue.add(new Scheduled(now + delay, seq++, e));
  }

  // ---------------------------------------------------------------- faults

  private long nextFaultDelay() {
    // Exponential inter-arrival times around the mean.
    return 1 + (long) (-Math.log(1 - rng.nextDouble()) * Params.SIM_FAULT_INTERVAL_MS);
  }

  private void fault() {
    if (now >= calmAt) return;
    int dice = rng.nextInt(100);
    List<Long> ids = new ArrayList<>();
    for (SimNode x : nodes.values()) if (!x.removed) ids.add(x.id);
    int n = ids.size();
    if (dice < 22 && n > 1) {
      shuffle(ids);
      int cut = 1 + rng.nextInt(n - 1);
      network.groups.clear();
      for (long id : nodes.keySet()) network.groups.put(id, 1);
      for (int i = 0; i < cut; i++) network.groups.put(ids.get(i), 0);
      trace("fault: partition " + ids.subList(0, cut) + " | " + ids.subList(cut, n));
    } else if (dice < 35 && n > 1) {
      long leader = currentLeader();
      if (leader != 0) {
        network.groups.clear();
        for (long id : nodes.keySet()) network.groups.put(id, id == leader ? 0 : 1);
        trace("fault: isolate leader " + leader);
      }
    } else if (dice < 52) {
      network.groups.clear();
      trace("fault: heal");
    } else if (dice < 70) {
      if (crashBudget(rng.nextInt(4) == 0 ? 1 : 0)) {
        List<SimNode> up = nodes.values().stream().filter(SimNode::up).toList();
        if (!up.isEmpty()) crash(up.get(rng.nextInt(up.size())), "fault", 100 + rng.nextInt(700));
      }
    } else if (dice < 80 && n > 1) {
      long leader = currentLeader();
      if (leader != 0) {
        List<Long> voters = nodes.get(leader).raw.status().confState().voters();
        long to = voters.get(rng.nextInt(voters.size()));
        if (to != leader) {
          trace("fault: transfer leadership " + leader + " -> " + to);
          SimNode l = nodes.get(leader);
          l.raw.transferLeader(to);
          l.processReady();
        }
      }
    } else if (dice < 90) {
      if (options.membership()) membership.change();
    } else {
      nodes.values().stream().filter(x -> !x.up() && !x.removed).findFirst().ifPresent(this::restart);
    }
    schedule(nextFaultDelay(), new Fault());
  }

  /**
   * Whether one more node may crash: fewer than a minority of the members (plus {@code extra}) are
   * down, so the cluster usually keeps a quorum (safety does not depend on it; progress does).
   */
  private boolean crashBudget(int extra) {
    long down = 0;
    int members = 0;
    for (SimNode x : nodes.values()) {
      if (x.removed) continue;
      members++;
      if (!x.up()) down++;
    }
    return down < (members - 1) / 2 + extra;
  }

  private boolean crashBudget() {
    return crashBudget(0);
  }

  private void calm() {
    network.groups.clear();
    trace("calm: heal the network, restart every crashed node, shut down removed members");
    SimChecks.Members last = checks.latestConfig();
    for (SimNode n : nodes.values()) {
      // A removed member that never learned of its removal would be told by the transport (etcd
      // answers it "410 Gone"); here it is stopped, so the end of the schedule is calm.
      if (!last.contains(n.id) && checks.everMember(n.id)) {
        if (n.up()) shutDown(n, "it is no longer a member");
        n.removed = true;
      } else if (!n.up() && !n.removed) {
        restart(n);
      }
    }
  }

  /** Whether faults may still be injected (the schedule is before its calm phase). */
  boolean faultsActive() {
    return options.faults() && now < calmAt;
  }

  void crash(SimNode n, String why, long downFor) {
    if (!n.up()) return;
    crashes++;
    n.crash();
    trace("crash node " + n.id + " (" + why + ")");
    if (now + downFor < calmAt) schedule(downFor, new Restart(n.id));
  }

  /** A member removed from the cluster stops for good. */
  void shutDown(SimNode n, String why) {
    n.crash();
    n.removed = true;
    trace("shut down node " + n.id + " (" + why + ")");
  }

  private void restart(SimNode n) {
    if (n.up() || n.removed) return;
    n.start(rng, options.jitter());
    trace("restart node " + n.id + " from its disk (snapshot at " + n.applied + ", last index " + n.disk.lastIndex() + ")");
    n.processReady();
  }

  boolean crashInReady() {
    return faultsActive() && rng.nextDouble() < Params.SIM_CRASH_IN_READY_RATE;
  }

  long currentLeader() {
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

  void observeRole(SimNode n, Ready.Role role, long term) {
    checks.observeRole(n, role, term);
    if (role == Ready.Role.LEADER && churn != null) churn.onElected(n.id, term);
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
