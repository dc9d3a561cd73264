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
  }

  void crash() {
    raw = null;
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
        sim.replyDropped(op, id); // nothing was appended: a definite failure
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
        sim.crash(this, "after persisting, before sending");
        return;
      }
      // Invariants that need the role and term.
      if (rd.softState() != null) sim.observeRole(id, rd.softState().role(), raw.status().term());
      // 2. send
      for (Message m : rd.messages()) sim.network.send(m);
      // 3. apply
      if (!rd.snapshot().isEmpty()) {
        kv = KvStateMachine.decode(rd.snapshot().data());
        applied = rd.snapshot().index();
        lastSnapshot = applied;
      }
      for (Entry e : rd.committedEntries()) apply(e);
      for (ReadState rs : rd.readStates()) {
        Simulation.ClientOp op = readsAwaitingIndex.remove(new String(rs.requestCtx(), StandardCharsets.UTF_8));
        if (op != null) readsAwaitingApply.add(new Object[] {rs.index(), op});
      }
      serveReads();
      // 4. advance
      raw.advance(rd);
      maybeSnapshot();
    }
  }

  private void apply(Entry e) {
    if (e.index() != applied + 1) sim.violation("node " + id + " applied entry " + e.index() + " after " + applied + " (a gap or a repeat)");
    sim.observeApplied(id, e);
    applied = e.index();
    if (e.type() == Entry.Type.CONF_CHANGE) {
      raw.applyConfChange(ConfChange.decode(e.data()));
      return;
    }
    if (e.data().length == 0) return; // a leader's no-op
    KvCommand c = KvCommand.decode(e.data());
    KvModel.Output out = kv.apply(c);
    Simulation.ClientOp op = pendingWrites.remove(key(c.client(), c.op()));
    if (op != null && out != null) sim.reply(op, out, id);
  }

  private void serveReads() {
    for (Iterator<Object[]> it = readsAwaitingApply.iterator(); it.hasNext(); ) {
      Object[] r = it.next();
      if ((Long) r[0] <= applied) {
        Simulation.ClientOp op = (Simulation.ClientOp) r[1];
        sim.reply(op, KvModel.Output.value(kv.get(op.input.key())), id);
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
