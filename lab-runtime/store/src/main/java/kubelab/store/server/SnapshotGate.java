package kubelab.store.server;

import java.util.List;
import kubelab.raft.Entry;
import kubelab.raft.MemoryStorage;
import kubelab.raft.Snapshot;
import kubelab.raft.Storage;

/**
 * The Raft storage a member's node reads: its {@link MemoryStorage}, except that a snapshot older
 * than the last membership change is "temporarily unavailable" while the apply thread makes a
 * newer one. A leader sends its newest snapshot to a follower behind the compacted log; for a
 * member just added, a snapshot from before its addition would not name it, and the new member
 * would (rightly) refuse it and never catch up. etcd avoids the same trap by building the snapshot
 * it sends at the leader's applied index; here the leader waits a moment for one (Raft retries
 * on the next heartbeat response), which costs one snapshot per membership change.
 *
 * <p>Called on the Raft thread; the requests it makes are picked up by the apply thread.
 */
final class SnapshotGate implements Storage {
  private final MemoryStorage storage;
  private volatile RaftDriver driver;
  private volatile Applier applier;

  SnapshotGate(MemoryStorage storage) {
    this.storage = storage;
  }

  void bind(RaftDriver driver, Applier applier) {
    this.driver = driver;
    this.applier = applier;
  }

  @Override
  public InitialState initialState() {
    return storage.initialState();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxSize) {
    return storage.entries(lo, hi, maxSize);
  }

  @Override
  public long term(long i) {
    return storage.term(i);
  }

  @Override
  public long firstIndex() {
    return storage.firstIndex();
  }

  @Override
  public long lastIndex() {
    return storage.lastIndex();
  }

  @Override
  public Snapshot snapshot() {
    Snapshot s = storage.snapshot();
    RaftDriver d = driver;
    Applier a = applier;
    if (d != null && a != null && s.index() < d.lastConfIndex) {
      a.requestSnapshot(d.lastConfIndex);
      throw new SnapshotUnavailableException();
    }
    return s;
  }
}
