package kubelab.store.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.Snapshot;
import kubelab.store.Params;
import kubelab.store.StoreException;
import kubelab.store.codec.CommandCodec;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.mvcc.Command;

/**
 * The apply thread of a member: applies committed entries to the keyspace strictly in log
 * order, completes the requests that proposed them, serves linearizable reads once the applied
 * index reaches their ReadIndex, and every {@code snapshotCount} entries snapshots the keyspace
 * so the log (and the WAL) behind it can be released.
 *
 * <p>Application is deterministic: a command that the keyspace refuses (a lease that is gone, a
 * compacted revision) is refused the same way on every member, and its error is the request's
 * answer. Entries already covered by the snapshot the member started from are skipped.
 */
final class Applier {
  record Task(Snapshot snapshot, List<Entry> entries, Map<Long, ConfApplied> confs, List<ReadReady> reads) {}

  /**
   * What the Raft thread made of a CONF_CHANGE entry: the Raft configuration after it (null if the
   * change was refused), the membership after it, the request that proposed it (0: none or
   * another member's), and why it was refused (null: applied).
   */
  record ConfApplied(ConfState confState, Membership membership, long requestId, String error) {}

  record ReadReady(long index, List<Member.ReadWaiter> waiters) {}

  private static final Task STOP = new Task(Snapshot.EMPTY, List.of(), Map.of(), List.of());

  private final Member m;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final PriorityQueue<ReadReady> pendingReads = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
  private final Thread thread;
  private volatile long applied;
  /** The newest snapshot's index: set here (one from the leader) and by the snapshot thread. */
  private final java.util.concurrent.atomic.AtomicLong snapshotIndex = new java.util.concurrent.atomic.AtomicLong();
  /** Writes this member's own snapshots, one at a time, so that applying never waits for one. */
  private final java.util.concurrent.ExecutorService snapshotter;
  private volatile boolean snapshotting;
  private ConfState confState;
  private Membership membership;
  /** The keyspace revision after each recently applied entry, for {@code lab store log} (slot: index mod size). */
  private final long[] revisions = new long[Params.LOG_REVISIONS_KEPT];
  private final long[] revisionIndexes = new long[Params.LOG_REVISIONS_KEPT];

  Applier(Member m, Snapshot start, ConfState confState, Membership membership) {
    this.m = m;
    this.applied = start.index();
    this.snapshotIndex.set(start.index());
    this.confState = confState;
    this.membership = membership;
    remember(start.index(), m.mvcc.revision());
    thread = new Thread(this::run, "kubelab-store-apply-" + m.cfg.name());
    thread.setDaemon(true);
    snapshotter = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kubelab-store-snapshot-" + m.cfg.name());
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    thread.start();
  }

  void stop() {
    queue.add(STOP);
    try {
      thread.join(5000);
      // A snapshot being written finishes before the member is gone (a restart in the same
      // process must not find a file half written, or one appearing after it has started).
      snapshotter.shutdown();
      if (!snapshotter.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS))
        m.log.accept(m.cfg.name() + ": a snapshot was still being written after 60 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long applied() {
    return applied;
  }

  void submit(Task t) {
    queue.add(t);
  }

  private static final Task WAKE = new Task(Snapshot.EMPTY, List.of(), Map.of(), List.of());
  /** Make a snapshot as soon as the applied index reaches this (0: no request). */
  private volatile long snapshotWanted;

  /** Asks for a snapshot at an index at or after {@code index} (see {@link SnapshotGate}); any thread. */
  void requestSnapshot(long index) {
    if (snapshotWanted >= index) return;
    snapshotWanted = index;
    queue.add(WAKE);
  }

  private void run() {
    try {
      while (true) {
        Task t = queue.take();
        if (t == STOP) return;
        apply(t);
      }
    } catch (InterruptedException e) {
      // stopping
    } catch (RuntimeException e) {
      m.log.accept(m.cfg.name() + ": apply failed: " + e + ": stopping this member");
      e.printStackTrace();
      new Thread(m::close, "kubelab-store-stop").start();
    }
  }

  private void apply(Task t) {
    Snapshot snap = t.snapshot();
    if (!snap.isEmpty() && snap.index() > applied) {
      m.log.accept(m.cfg.name() + ": installing snapshot at index " + snap.index() + " from the leader");
      StoreSnapshot ss = StoreSnapshot.decode(snap.data());
      m.mvcc.restore(ss.keyspace());
      applied = snap.index();
      snapshotIndex.accumulateAndGet(snap.index(), Math::max);
      confState = snap.confState();
      membership = ss.membership() != null ? ss.membership() : m.initialMembership();
      remember(snap.index(), m.mvcc.revision());
    }
    for (Entry e : t.entries()) {
      if (e.index() <= applied) continue;
      if (e.type() == Entry.Type.NORMAL && e.data().length > 0) {
        CommandCodec.Proposal p;
        try {
          p = CommandCodec.decodeEntry(e.data());
        } catch (CorruptDataException ex) {
          // A request whose body does not decode (client requests are logged as sent, without a
          // decode and re-encode): every member refuses it alike, and its sender is told.
          long id = CommandCodec.requestIdOf(e.data());
          if (id != 0) m.complete(id, new StoreException(StoreException.Code.INVALID_ARGUMENT, "bad request: " + ex.getMessage()));
          applied = e.index();
          continue;
        }
        Object result;
        try {
          result = m.mvcc.apply(p.command());
        } catch (StoreException ex) {
          result = ex;
        }
        if (p.requestId() != 0) m.complete(p.requestId(), result);
      } else if (e.type() == Entry.Type.CONF_CHANGE) {
        ConfApplied ca = t.confs().get(e.index());
        if (ca != null) {
          if (ca.confState() != null) confState = ca.confState();
          membership = ca.membership();
          if (ca.requestId() != 0) m.complete(ca.requestId(), ca.error() != null
              ? new StoreException(StoreException.Code.FAILED_PRECONDITION, ca.error())
              : new MembershipChange(changed(e), membership.members(), m.cfg.clusterIdHex()));
        }
      }
      applied = e.index();
      remember(e.index(), m.mvcc.revision());
    }
    pendingReads.addAll(t.reads());
    while (!pendingReads.isEmpty() && pendingReads.peek().index() <= applied) {
      for (Member.ReadWaiter w : pendingReads.poll().waiters()) {
        if (!m.waiting.containsKey(w.id())) continue;
        Object result;
        try {
          result = w.range() != null ? m.mvcc.range(w.range()) : m.mvcc.apply(new Command.Txn(w.txn()));
        } catch (StoreException ex) {
          result = ex;
        }
        m.complete(w.id(), result);
      }
    }
    long wanted = snapshotWanted;
    long last = snapshotIndex.get();
    if (applied - last >= m.cfg.snapshotCount() || (wanted > last && applied >= wanted)) snapshot();
  }

  /** The member a CONF_CHANGE entry added or removed, as its context names it. */
  private static Peers.Peer changed(Entry e) {
    kubelab.raft.ConfChange cc = kubelab.raft.ConfChange.decode(e.data());
    Membership.Context ctx = Membership.context(cc);
    return new Peers.Peer(cc.nodeId(), ctx.name(), Peers.parseHostPort(ctx.address(), "member " + ctx.name()));
  }

  /**
   * The keyspace revision right after entry {@code index} was applied, if it was applied recently
   * enough to be remembered ({@link Params#LOG_REVISIONS_KEPT} entries); otherwise -1.
   */
  long revisionAfter(long index) {
    int slot = (int) (index % revisions.length);
    synchronized (revisions) {
      return revisionIndexes[slot] == index ? revisions[slot] : -1;
    }
  }

  private void remember(long index, long revision) {
    int slot = (int) (index % revisions.length);
    synchronized (revisions) {
      revisions[slot] = revision;
      revisionIndexes[slot] = index;
    }
  }

  /**
   * Snapshots the keyspace at the applied index and releases the log behind it. The apply thread
   * only freezes the state (a pass over the keys); encoding, writing and fsyncing the file happen
   * on the snapshot thread while applying goes on. (Encoding a keyspace with a long history on this
   * thread stopped every member at once for seconds: they all reach the same index together.)
   */
  private void snapshot() {
    if (snapshotting) return;
    snapshotting = true;
    long at = applied;
    ConfState cs = confState;
    Membership ms = membership;
    java.util.function.Supplier<byte[]> keyspace = m.mvcc.snapshotLater();
    try {
      snapshotter.execute(() -> {
        try {
          write(at, cs, ms, keyspace);
        } finally {
          snapshotting = false;
          queue.add(WAKE); // a snapshot asked for meanwhile is made without waiting for new entries
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      snapshotting = false; // stopping
    }
  }

  private void write(long at, ConfState cs, Membership ms, java.util.function.Supplier<byte[]> keyspace) {
    Snapshot s;
    try {
      s = m.storage.createSnapshot(at, cs, new StoreSnapshot(ms, keyspace.get()).encode());
    } catch (IllegalStateException | IllegalArgumentException e) {
      return; // a newer snapshot from the leader got there first
    }
    try {
      m.persistence.saveSnapshot(s, false);
      long keepFrom = at - Math.min(Params.SNAPSHOT_CATCH_UP_ENTRIES, m.cfg.snapshotCount());
      if (keepFrom > m.storage.firstIndex()) m.storage.compact(keepFrom);
      m.persistence.releaseTo(at);
      snapshotIndex.accumulateAndGet(at, Math::max);
      m.log.accept(m.cfg.name() + ": saved snapshot at index " + at + " (revision " + keyspaceRevision(at) + ")");
    } catch (IOException | RuntimeException e) {
      m.log.accept(m.cfg.name() + ": saving a snapshot failed: " + (e instanceof IOException ? e.getMessage() : e));
      snapshotIndex.accumulateAndGet(at, Math::max); // try again after another snapshotCount entries
    }
  }

  private long keyspaceRevision(long index) {
    long r = revisionAfter(index);
    return r >= 0 ? r : m.mvcc.revision();
  }
}
