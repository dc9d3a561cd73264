package kubelab.store.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kubelab.raft.ConfChange;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.Message;
import kubelab.raft.ProposalDroppedException;
import kubelab.raft.RawNode;
import kubelab.raft.ReadState;
import kubelab.raft.Ready;
import kubelab.raft.Status;
import kubelab.store.Params;
import kubelab.store.transport.Transport;

/**
 * The Raft thread of a member: the only code that touches the {@link RawNode}. Each turn of the
 * loop takes every input that arrived (messages, ticks, proposals, reads), steps them into the
 * node, and then handles the node's {@link Ready} in the documented order:
 * <ol>
 *   <li><b>persist</b> the snapshot, entries and hard state (fsync when the Ready says so);
 *   <li><b>send</b> the messages, which may promise what was just persisted (a vote, an ack);
 *   <li><b>apply</b>: hand the committed entries and the answered reads to the {@link Applier}
 *       (membership changes are applied to the node here, in log order);
 *   <li><b>advance</b> the node.
 * </ol>
 * Group commit falls out of this shape: while one Ready is being persisted, new proposals queue
 * up, and the next turn puts all of them into one Ready, one WAL write and one fsync, and one
 * append message per follower.
 *
 * <p>Proposals made while no leader is known wait here ("parked") and are proposed once one is
 * elected, until their request times out. Reads are batched: all reads that arrived since the
 * last turn share one ReadIndex round; a round with no answer is asked again every few ticks.
 */
final class RaftDriver implements Transport.Handler {
  private static final Object TICK = new Object();
  private static final Object WAKE = new Object();
  /** Ticks after which an unanswered ReadIndex round is asked again (etcd retries every 500 ms). */
  private static final int READ_RETRY_TICKS = 5;

  private record Proposal(long id, byte[] data) {}

  private record Unreachable(long peer) {}

  private record SnapStatus(long peer, boolean ok) {}

  private record Transfer(long to) {}

  private static final class ReadBatch {
    final List<Member.ReadWaiter> waiters;
    long issuedTick;

    ReadBatch(List<Member.ReadWaiter> waiters, long tick) {
      this.waiters = waiters;
      this.issuedTick = tick;
    }
  }

  private final Member m;
  private final RawNode node;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final ArrayDeque<Proposal> parked = new ArrayDeque<>();
  private final Map<Long, ReadBatch> readBatches = new HashMap<>();
  private final Thread thread;
  private long readSeq;
  private long ticks;
  private Ready.Role role = Ready.Role.FOLLOWER;
  volatile long leader;
  volatile Status status;

  RaftDriver(Member m, RawNode node) {
    this.m = m;
    this.node = node;
    this.status = node.status();
    thread = new Thread(this::run, "kubelab-store-raft-" + m.cfg.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- inputs (any thread) ----------------------------------------------------------------------

  @Override
  public void receive(Message msg) {
    inbox.add(msg);
  }

  @Override
  public void unreachable(long peer) {
    inbox.add(new Unreachable(peer));
  }

  @Override
  public void snapshotStatus(long peer, boolean ok) {
    inbox.add(new SnapStatus(peer, ok));
  }

  void tick() {
    inbox.add(TICK);
  }

  void propose(long id, byte[] data) {
    inbox.add(new Proposal(id, data));
  }

  void transferLeader(long to) {
    inbox.add(new Transfer(to));
  }

  /** New reads are waiting in {@link Member#reads}. */
  void wake() {
    if (wakePending.compareAndSet(false, true)) inbox.add(WAKE);
  }

  // --- the loop (Raft thread) -------------------------------------------------------------------

  private void run() {
    List<Object> batch = new ArrayList<>(Params.MAX_PROPOSAL_BATCH);
    try {
      while (!m.stopped) {
        if (!node.hasReady()) {
          Object first = inbox.poll(100, TimeUnit.MILLISECONDS);
          if (first != null) batch.add(first);
        }
        inbox.drainTo(batch, Params.MAX_PROPOSAL_BATCH);
        for (Object o : batch) handle(o);
        batch.clear();
        if (leader != 0 && !parked.isEmpty()) proposeParked();
        issueReads();
        if (node.hasReady()) handleReady();
      }
    } catch (InterruptedException e) {
      // stopping
    } catch (IOException e) {
      m.log.accept(m.cfg.name() + ": cannot write the WAL (" + e.getMessage() + "): stopping this member");
      new Thread(m::close, "kubelab-store-stop").start();
    } catch (RuntimeException e) {
      m.log.accept(m.cfg.name() + ": raft loop failed: " + e + ": stopping this member");
      e.printStackTrace();
      new Thread(m::close, "kubelab-store-stop").start();
    }
  }

  private void handle(Object o) {
    if (o == TICK) {
      ticks++;
      node.tick();
      retryReads();
      status = node.status();
    } else if (o == WAKE) {
      wakePending.set(false);
    } else if (o instanceof Message msg) {
      try {
        node.step(msg);
      } catch (IllegalArgumentException e) {
        m.log.accept(m.cfg.name() + ": ignored a message: " + e.getMessage());
      }
    } else if (o instanceof Proposal p) {
      propose(p);
    } else if (o instanceof Unreachable u) {
      node.reportUnreachable(u.peer());
    } else if (o instanceof SnapStatus s) {
      node.reportSnapshot(s.peer(), s.ok());
    } else if (o instanceof Transfer t) {
      node.transferLeader(t.to());
    }
  }

  private void propose(Proposal p) {
    if (leader == 0) {
      parked.add(p);
      return;
    }
    try {
      node.propose(p.data());
    } catch (ProposalDroppedException e) {
      parked.add(p);
    }
  }

  private void proposeParked() {
    int n = parked.size();
    for (int i = 0; i < n && leader != 0; i++) {
      Proposal p = parked.poll();
      if (p.id() != 0 && !m.waiting.containsKey(p.id())) continue; // timed out meanwhile
      try {
        node.propose(p.data());
      } catch (ProposalDroppedException e) {
        parked.addFirst(p);
        return;
      }
    }
  }

  private void issueReads() {
    if (m.reads.isEmpty()) return;
    List<Member.ReadWaiter> ws = new ArrayList<>();
    for (Member.ReadWaiter w; (w = m.reads.poll()) != null; ) ws.add(w);
    long ctx = ++readSeq;
    readBatches.put(ctx, new ReadBatch(ws, ticks));
    node.readIndex(ctxBytes(ctx));
  }

  /** Asks again for rounds nobody answered (no leader then, or a message was lost). */
  private void retryReads() {
    for (Iterator<Map.Entry<Long, ReadBatch>> it = readBatches.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, ReadBatch> e = it.next();
      ReadBatch b = e.getValue();
      if (ticks - b.issuedTick < READ_RETRY_TICKS) continue;
      boolean alive = false;
      for (Member.ReadWaiter w : b.waiters) alive |= m.waiting.containsKey(w.id());
      if (!alive) {
        it.remove();
        continue;
      }
      b.issuedTick = ticks;
      node.readIndex(ctxBytes(e.getKey()));
    }
  }

  private static byte[] ctxBytes(long ctx) {
    return ByteBuffer.allocate(8).putLong(ctx).array();
  }

  private void handleReady() throws IOException {
    Ready rd = node.ready();
    if (rd.softState() != null) onSoftState(rd.softState());

    // 1. Persist: nothing below may be sent before what it promises is on disk.
    if (!rd.snapshot().isEmpty()) {
      m.persistence.saveSnapshot(rd.snapshot(), true);
      m.storage.applySnapshot(rd.snapshot());
    }
    if (rd.hardState() != null || !rd.entries().isEmpty()) {
      m.persistence.save(rd.hardState(), rd.entries(), rd.mustSync());
    }
    if (rd.hardState() != null) m.storage.setHardState(rd.hardState());
    if (!rd.entries().isEmpty()) m.storage.append(rd.entries());

    // 2. Send.
    if (!rd.messages().isEmpty()) m.transport.send(rd.messages());

    // 3. Apply: membership changes here, in order; everything else on the apply thread.
    Map<Long, ConfState> confStates = null;
    for (Entry e : rd.committedEntries()) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        if (confStates == null) confStates = new HashMap<>();
        confStates.put(e.index(), node.applyConfChange(ConfChange.decode(e.data())));
      }
    }
    List<Applier.ReadReady> answered = null;
    for (ReadState rs : rd.readStates()) {
      ReadBatch b = readBatches.remove(ByteBuffer.wrap(rs.requestCtx()).getLong());
      if (b == null) continue; // answered twice (a retried round)
      if (answered == null) answered = new ArrayList<>();
      answered.add(new Applier.ReadReady(rs.index(), b.waiters));
    }
    if (!rd.snapshot().isEmpty() || !rd.committedEntries().isEmpty() || answered != null) {
      m.applier.submit(new Applier.Task(rd.snapshot(), rd.committedEntries(),
          confStates == null ? Map.of() : confStates, answered == null ? List.of() : answered));
    }

    // 4. Advance.
    node.advance(rd);
    if (rd.softState() != null || rd.hardState() != null) status = node.status();
  }

  private void onSoftState(Ready.SoftState s) {
    boolean wasLeader = role == Ready.Role.LEADER;
    role = s.role();
    leader = s.leader();
    if (role == Ready.Role.LEADER && !wasLeader) {
      // A new leader does not know how long the old one let each lease run: give every lease a
      // full TTL from now (etcd's lessor.Promote).
      m.leases.promote();
    }
  }
}
