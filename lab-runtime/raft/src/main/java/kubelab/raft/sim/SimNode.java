package kubelab.raft.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import kubelab.raft.Config;
import kubelab.raft.ConfChange;
import kubelab.raft.Entry;
import kubelab.raft.MemoryStorage;
import kubelab.raft.Message;
import kubelab.raft.Params;
import kubelab.raft.RawNode;
import kubelab.raft.ReadState;
import kubelab.raft.Ready;
import kubelab.raft.Snapshot;
import kubelab.raft.check.KvModel;

/**
 * One simulated server: a {@link RawNode}, its "disk" (a {@link MemoryStorage}: whatever the
 * driver wrote there survives a crash, whatever was only in the RawNode is lost), the
 * {@link KvStateMachine} it applies to, and the client requests it is serving. {@link #processReady}
 * is the driver loop of package-info, step by step, with a chance to crash between persisting and
 * sending.
 *
 * <p>The node's {@link Config} is the same on every start: its membership comes from the disk
 * (the snapshot's, then the conf changes it re-applies), which {@link SimChecks} verifies on
 * every start. A member that applies its own removal shuts down for good ({@link #removed}).
 */
final class SimNode {
  final long id;
  final MemoryStorage disk = new MemoryStorage();
  private final Simulation sim;
  private final Config baseConfig;
  RawNode raw; // null while down
  KvStateMachine kv;
  long applied;
  private long lastSnapshot;
  /** Removed from the cluster and shut down for good. */
  boolean removed;
  private boolean shutdownAfterReady;
  private int starts;
  /** The node's current term (from the start, then from each Ready's hard state). */
  private long term;
  private boolean leader;
  private long lastCommit;

  /** Writes waiting to be applied here, by (client, op). */
  private final Map<Long, Simulation.ClientOp> pendingWrites = new LinkedHashMap<>();
  /** Reads waiting for their ReadIndex answer, by context. */
  private final Map<String, Simulation.ClientOp> readsAwaitingIndex = new LinkedHashMap<>();
  /** Reads with a read index, waiting for the state machine to reach it. */
  private final List<Object[]> readsAwaitingApply = new ArrayList<>(); // {Long index, ClientOp}

  SimNode(long id, Simulation sim, Config baseConfig) {
    this.id = id;
    this.sim = sim;
    this.baseConfig = baseConfig;
  }

  boolean up() {
    return raw != null;
  }

  /** Starts (or restarts) from what is on disk: the snapshot restores the state machine, the log replays. */
  void start(SplittableRandom seeds, boolean jitter) {
    Snapshot snap = disk.snapshot();
    kv = snap.isEmpty() ? new KvStateMachine() : KvStateMachine.decode(snap.data());
    applied = snap.index();
    lastSnapshot = snap.index();
    RandomGenerator random = jitter ? new SplittableRandom(seeds.nextLong()) : NoJitter.INSTANCE;
    Config c = baseConfig.toBuilder().applied(applied).random(random).build();
    raw = RawNode.create(c, disk);
    term = raw.status().term();
    leader = false;
    lastCommit = disk.hardState().commit();
    sim.checks.expectConfigAtApplied(this, applied, raw.status().confState(), starts++ == 0 ? "started" : "restarted from its disk");
  }

  void crash() {
    raw = null;
    shutdownAfterReady = false;
    kv = null;
    pendingWrites.clear();
    readsAwaitingIndex.clear();
    readsAwaitingApply.clear();
  }

  void clientRequest(Simulation.ClientOp op) {
    if (!up()) return; // lost: the client times out
    if (op.input.kind() == KvModel.Kind.GET) {
      String ctx = "r" + op.client + "." + op.op;
      readsAwaitingIndex.put(ctx, op);
      raw.readIndex(ctx.getBytes(StandardCharsets.UTF_8));
    } else {
      try {
        raw.propose(new KvCommand(op.client, op.op, op.input).encode());
        pendingWrites.put(key(op.client, op.op), op);
      } catch (kubelab.raft.ProposalDroppedException e) {
        sim.clients.replyDropped(op, id); // nothing was appended: a definite failure
      }
    }
    processReady();
  }

  private static long key(int client, long op) {
    return ((long) client << 40) | op;
  }

  /** Handles every Ready: 1 persist, (maybe crash), 2 send, 3 apply, 4 advance; then maybe snapshot. */
  void processReady() {
    while (up() && raw.hasReady()) {
      Ready rd = raw.ready();
      // 1. persist
      if (!rd.snapshot().isEmpty()) disk.applySnapshot(rd.snapshot());
      disk.append(rd.entries());
      if (rd.hardState() != null) disk.setHardState(rd.hardState());
      if (sim.crashInReady()) {
        sim.crash(this, "after persisting, before sending", 100 + sim.rng.nextInt(700));
        return;
      }
      if (rd.softState() != null) leader = rd.softState().role() == Ready.Role.LEADER;
      if (rd.hardState() != null) {
        term = rd.hardState().term();
        if (leader && rd.hardState().commit() > lastCommit && sim.churn != null) sim.churn.onLeaderCommit(id, term);
        lastCommit = rd.hardState().commit();
      }
      // Invariants that need the role and term.
      if (rd.softState() != null) sim.observeRole(this, rd.softState().role(), term);
      // 2. send
      for (Message m : rd.messages()) sim.network.send(m);
      // 3. apply
      if (!rd.snapshot().isEmpty()) {
        kv = KvStateMachine.decode(rd.snapshot().data());
        applied = rd.snapshot().index();
        lastSnapshot = applied;
        sim.checks.expectConfigAtApplied(this, applied, rd.snapshot().confState(), "installed a snapshot");
      }
      for (Entry e : rd.committedEntries()) apply(e, term);
      for (ReadState rs : rd.readStates()) {
        Simulation.ClientOp op = readsAwaitingIndex.remove(new String(rs.requestCtx(), StandardCharsets.UTF_8));
        if (op != null) readsAwaitingApply.add(new Object[] {rs.index(), op});
      }
      serveReads();
      // 4. advance
      raw.advance(rd);
      maybeSnapshot();
    }
    if (shutdownAfterReady && up()) {
      shutdownAfterReady = false;
      sim.shutDown(this, "it applied its own removal");
    }
  }

  private void apply(Entry e, long term) {
    if (e.index() != applied + 1) sim.violation("node " + id + " applied entry " + e.index() + " after " + applied + " (a gap or a repeat)");
    sim.checks.observeApplied(this, e, term);
    applied = e.index();
    if (e.type() == Entry.Type.CONF_CHANGE) {
      ConfChange cc = ConfChange.decode(e.data());
      if (sim.membership.applied(this, e.index(), cc, raw.applyConfChange(cc))) shutdownAfterReady = true;
      return;
    }
    if (e.data().length == 0) return; // a leader's no-op
    KvCommand c = KvCommand.decode(e.data());
    KvModel.Output out = kv.apply(c);
    Simulation.ClientOp op = pendingWrites.remove(key(c.client(), c.op()));
    if (op != null && out != null) sim.clients.reply(op, out, id);
  }

  private void serveReads() {
    for (Iterator<Object[]> it = readsAwaitingApply.iterator(); it.hasNext(); ) {
      Object[] r = it.next();
      if ((Long) r[0] <= applied) {
        Simulation.ClientOp op = (Simulation.ClientOp) r[1];
        sim.clients.reply(op, KvModel.Output.value(kv.get(op.input.key())), id);
        it.remove();
      }
    }
  }

  /** Log compaction (§7): snapshot the state machine every few entries, keep a short tail. */
  private void maybeSnapshot() {
    if (applied - lastSnapshot < Params.SIM_SNAPSHOT_EVERY) return;
    disk.createSnapshot(applied, raw.status().confState(), kv.encode());
    lastSnapshot = applied;
    long compactTo = applied - Params.SIM_SNAPSHOT_KEEP;
    if (compactTo >= disk.firstIndex()) disk.compact(compactTo);
  }

  /** A random source with no jitter: every election timeout is exactly electionTick. */
  static final class NoJitter implements RandomGenerator {
    static final NoJitter INSTANCE = new NoJitter();

    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public int nextInt(int bound) {
      return 0;
    }
  }
}
