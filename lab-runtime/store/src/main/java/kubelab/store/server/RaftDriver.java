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
import kubelab.store.StoreException;
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

  /** A command for the log ({@code data}), or a membership change ({@code cc}). */
  private record Proposal(long id, byte[] data, ConfChange cc) {}

  /** A members add/remove request, turned into a ConfChange on this thread (which knows the membership). */
  private record MemberChange(long id, boolean add, String name, String hostPort) {}

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
  /** The tick at which each peer was last heard from (etcd's transport "active since"). */
  private final Map<Long, Long> lastHeard = new HashMap<>();
  private Ready.Role role = Ready.Role.FOLLOWER;
  volatile long leader;
  volatile Status status;
  /** The membership as of the last CONF_CHANGE entry handed to the applier (or the last snapshot). Written by this thread. */
  volatile Membership membership;
  /** The index of the last CONF_CHANGE entry applied to the node (see {@link SnapshotGate}). */
  volatile long lastConfIndex;

  RaftDriver(Member m, RawNode node, Membership membership) {
    this.m = m;
    this.node = node;
    this.membership = membership;
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
    inbox.add(new Proposal(id, data, null));
  }

  /** Adds ({@code add}) member {@code name} at {@code hostPort}, or removes member {@code name}; answers request {@code id}. */
  void proposeMemberChange(long id, boolean add, String name, String hostPort) {
    inbox.add(new MemberChange(id, add, name, hostPort));
  }

  @Override
  public void removed(long by) {
    m.removedFromCluster("member " + by + " refused this member's connection as a removed member's");
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
      lastHeard.put(msg.from(), ticks);
      try {
        node.step(msg);
      } catch (IllegalArgumentException e) {
        m.log.accept(m.cfg.name() + ": ignored a message: " + e.getMessage());
      }
    } else if (o instanceof Proposal p) {
      propose(p);
    } else if (o instanceof MemberChange c) {
      memberChange(c);
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
      if (p.cc() != null) node.proposeConfChange(p.cc());
      else node.propose(p.data());
    } catch (ProposalDroppedException e) {
      if (p.cc() != null) refuseConfChange(p.id(), e.getMessage());
      else parked.add(p);
    }
  }

  private void proposeParked() {
    int n = parked.size();
    for (int i = 0; i < n && leader != 0; i++) {
      Proposal p = parked.poll();
      if (p.id() != 0 && !m.waiting.containsKey(p.id())) continue; // timed out meanwhile
      try {
        if (p.cc() != null) node.proposeConfChange(p.cc());
        else node.propose(p.data());
      } catch (ProposalDroppedException e) {
        if (p.cc() != null) {
          refuseConfChange(p.id(), e.getMessage());
          continue;
        }
        parked.addFirst(p);
        return;
      }
    }
  }

  /**
   * A membership change dropped by Raft with a leader known: another change is pending, or a
   * transfer is under way. Nothing was appended, so the request fails at once.
   */
  private void refuseConfChange(long id, String why) {
    m.complete(id, new StoreException(StoreException.Code.FAILED_PRECONDITION,
        "etcdserver: membership change refused: " + why.replaceFirst("^raft: ", "") + " (try again once it is applied)"));
  }

  /**
   * Turns a members add/remove request into a ConfChange against the membership as this member
   * knows it, checks what can be checked here (the authoritative check runs again when the entry
   * is applied, on every member alike), and proposes it.
   */
  private void memberChange(MemberChange c) {
    Membership ms = membership;
    ConfChange cc;
    if (c.add()) {
      cc = new ConfChange(ConfChange.Type.ADD_NODE, ms.nextId(), Membership.context(c.id(), c.name(), c.hostPort()));
    } else {
      Peers.Peer p = ms.byName(c.name());
      if (p == null) {
        m.complete(c.id(), new StoreException(StoreException.Code.FAILED_PRECONDITION,
            "membership: member " + c.name() + " not found (members: " + ms + ")"));
        return;
      }
      cc = new ConfChange(ConfChange.Type.REMOVE_NODE, p.id(), Membership.context(c.id(), p.name(), p.hostPort()));
    }
    String err = ms.check(cc);
    if (err == null) err = strictReconfigCheck(cc);
    if (err != null) {
      m.complete(c.id(), new StoreException(StoreException.Code.FAILED_PRECONDITION, err));
      return;
    }
    m.log.accept(m.cfg.name() + ": proposing " + (c.add() ? "to add member " + c.name() + " (id " + cc.nodeId() + ", " + c.hostPort() + ")"
        : "to remove member " + c.name() + " (id " + cc.nodeId() + ")"));
    propose(new Proposal(c.id(), null, cc));
  }

  /**
   * etcd's --strict-reconfig-check (on by default in 3.4): on the leader, refuse a change after which
   * the members it has heard from within an election timeout would be too few for a quorum. Adding
   * a fourth member while one of three is down would otherwise leave the cluster unable to commit
   * until the new member starts; removing a member that is up while another is down, likewise.
   * Removing a member that is down is always allowed (it is not part of the active quorum).
   * Followers do not know who is active; the leader's answer is what counts.
   */
  private String strictReconfigCheck(ConfChange cc) {
    Status s = node.status();
    if (s.role() != Ready.Role.LEADER) return null;
    List<Long> voters = s.confState().voters();
    int active = 0;
    for (long v : voters) if (isActive(v)) active++;
    int after;
    if (cc.type() == ConfChange.Type.REMOVE_NODE) {
      if (!isActive(cc.nodeId())) return null;
      after = voters.size() - 1;
      active--;
    } else {
      after = voters.size() + 1;
    }
    if (active < after / 2 + 1) {
      return "etcdserver: re-configuration failed due to not enough started members (" + active + " of the " + after
          + " voters after the change would be up; " + (after / 2 + 1) + " are needed for a quorum)";
    }
    return null;
  }

  private boolean isActive(long id) {
    if (id == m.cfg.id()) return true;
    Long t = lastHeard.get(id);
    return t != null && ticks - t <= m.cfg.electionTicks();
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
      // The snapshot replaces the log it covers, membership changes included.
      Membership snap = StoreSnapshot.decode(rd.snapshot().data()).membership();
      setMembership(snap != null ? snap : m.initialMembership());
    }
    if (rd.hardState() != null || !rd.entries().isEmpty()) {
      m.persistence.save(rd.hardState(), rd.entries(), rd.mustSync());
    }
    if (rd.hardState() != null) m.storage.setHardState(rd.hardState());
    if (!rd.entries().isEmpty()) m.storage.append(rd.entries());

    // 2. Send.
    if (!rd.messages().isEmpty()) m.transport.send(rd.messages());

    // 3. Apply: membership changes here, in order; everything else on the apply thread.
    Map<Long, Applier.ConfApplied> confs = null;
    for (Entry e : rd.committedEntries()) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        if (confs == null) confs = new HashMap<>();
        confs.put(e.index(), applyConfChange(e));
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
          confs == null ? Map.of() : confs, answered == null ? List.of() : answered));
    }

    // 4. Advance.
    node.advance(rd);
    if (rd.softState() != null || rd.hardState() != null) status = node.status();
  }

  /**
   * Applies one committed CONF_CHANGE: checked against the membership (the same verdict on every
   * member, since all apply the same entries in the same order), then applied to Raft and to the
   * membership, and the transport learns the new addresses. A refused change leaves both as they
   * were; its proposer gets the reason.
   */
  private Applier.ConfApplied applyConfChange(Entry e) {
    ConfChange cc;
    try {
      cc = ConfChange.decode(e.data());
    } catch (IllegalArgumentException ex) {
      m.log.accept(m.cfg.name() + ": refused the membership change at index " + e.index() + ": " + ex.getMessage());
      return new Applier.ConfApplied(null, membership, 0, ex.getMessage());
    }
    long requestId = 0;
    try {
      Membership.Context ctx = Membership.context(cc);
      if (ctx != null) requestId = ctx.requestId();
    } catch (RuntimeException ex) {
      // the check below says why
    }
    String err = membership.check(cc);
    if (err != null) {
      m.log.accept(m.cfg.name() + ": refused the membership change at index " + e.index() + " (" + cc.type() + " " + cc.nodeId() + "): " + err);
      return new Applier.ConfApplied(null, membership, requestId, err);
    }
    Peers.Peer who = cc.type() == ConfChange.Type.REMOVE_NODE ? membership.member(cc.nodeId()) : null;
    ConfState cs = node.applyConfChange(cc);
    lastConfIndex = e.index();
    setMembership(membership.apply(cc));
    if (who == null) who = membership.member(cc.nodeId());
    m.log.accept(m.cfg.name() + ": applied membership change at index " + e.index() + ": "
        + (cc.type() == ConfChange.Type.REMOVE_NODE ? "removed " : "added ") + who.name() + " (id " + who.id() + ", " + who.hostPort()
        + "); members now " + membership);
    if (cc.type() == ConfChange.Type.REMOVE_NODE && cc.nodeId() == m.cfg.id()) {
      m.removedFromCluster("its removal was committed at index " + e.index());
    }
    status = node.status();
    return new Applier.ConfApplied(cs, membership, requestId, null);
  }

  private void setMembership(Membership ms) {
    if (ms.equals(membership)) return;
    membership = ms;
    m.transport.updatePeers(m.peerAddresses(ms), ms.removed());
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
