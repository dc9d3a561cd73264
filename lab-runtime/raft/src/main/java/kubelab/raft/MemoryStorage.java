package kubelab.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Storage} in memory: a list of entries whose first element is a dummy standing for the
 * snapshot (its index and term are the snapshot's), as etcd's MemoryStorage keeps it. Tests, the
 * scenario scripts, the simulator (where it plays the part of the disk: whatever was written here
 * survives a simulated crash) and the core benchmark use it.
 *
 * <p>The driver writes it (step 1 of the Ready loop) while the core reads it; every method is
 * {@code synchronized}, so a driver may also read it from another thread (for example to make a
 * snapshot).
 */
public final class MemoryStorage implements Storage {
  private HardState hardState = HardState.EMPTY;
  private Snapshot snapshot = Snapshot.EMPTY;
  /** ents.get(0) is the dummy entry at the snapshot's index and term. */
  private final ArrayList<Entry> ents = new ArrayList<>();

  public MemoryStorage() {
    ents.add(new Entry(0, 0, Entry.Type.NORMAL, Entry.EMPTY));
  }

  @Override
  public synchronized InitialState initialState() {
    return new InitialState(hardState, snapshot.confState());
  }

  public synchronized HardState hardState() {
    return hardState;
  }

  public synchronized void setHardState(HardState hs) {
    hardState = hs;
  }

  private long offset() {
    return ents.get(0).index();
  }

  @Override
  public synchronized List<Entry> entries(long lo, long hi, long maxSize) {
    long offset = offset();
    if (lo <= offset) throw new CompactedException(lo, offset + 1);
    long last = offset + ents.size() - 1;
    if (hi > last + 1) throw new IllegalArgumentException("entries(" + lo + ", " + hi + "): beyond last index " + last);
    List<Entry> out = new ArrayList<>((int) Math.min(hi - lo, 1024));
    long size = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = ents.get((int) (i - offset));
      size += e.size();
      if (!out.isEmpty() && size > maxSize) break;
      out.add(e);
    }
    return out;
  }

  @Override
  public synchronized long term(long i) {
    long offset = offset();
    if (i < offset) throw new CompactedException(i, offset + 1);
    if (i - offset >= ents.size()) throw new UnavailableException(i, offset + ents.size() - 1);
    return ents.get((int) (i - offset)).term();
  }

  @Override
  public synchronized long firstIndex() {
    return offset() + 1;
  }

  @Override
  public synchronized long lastIndex() {
    return offset() + ents.size() - 1;
  }

  @Override
  public synchronized Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Replaces the whole log with a snapshot received from the leader (Ready.snapshot).
   *
   * @throws IllegalStateException if the snapshot is older than the one already held
   */
  public synchronized void applySnapshot(Snapshot snap) {
    if (snap.index() < snapshot.index()) {
      throw new IllegalStateException("raft storage: snapshot at " + snap.index() + " is older than the one held at " + snapshot.index());
    }
    snapshot = snap;
    ents.clear();
    ents.add(new Entry(snap.term(), snap.index(), Entry.Type.NORMAL, Entry.EMPTY));
  }

  /**
   * Records a snapshot of the application's state at applied index {@code i} (the entries stay
   * until {@link #compact}); returns it.
   */
  public synchronized Snapshot createSnapshot(long i, ConfState cs, byte[] data) {
    if (i <= snapshot.index()) {
      throw new IllegalStateException("raft storage: snapshot at " + i + " is not newer than the one held at " + snapshot.index());
    }
    long last = offset() + ents.size() - 1;
    if (i > last) throw new IllegalArgumentException("raft storage: snapshot index " + i + " is beyond the last index " + last);
    snapshot = new Snapshot(i, ents.get((int) (i - offset())).term(), cs == null ? snapshot.confState() : cs, data);
    return snapshot;
  }

  /** Discards the entries up to and including {@code i}; entry {@code i} becomes the dummy. */
  public synchronized void compact(long i) {
    long offset = offset();
    if (i <= offset) return; // already compacted
    long last = offset + ents.size() - 1;
    if (i > last) throw new IllegalArgumentException("raft storage: compact " + i + " is beyond the last index " + last);
    Entry at = ents.get((int) (i - offset));
    ents.subList(0, (int) (i - offset)).clear();
    ents.set(0, new Entry(at.term(), at.index(), Entry.Type.NORMAL, Entry.EMPTY));
  }

  /**
   * Appends entries, overwriting any conflicting suffix (entries of a deposed leader are replaced,
   * §5.3). Entries already compacted are skipped.
   */
  public synchronized void append(List<Entry> entries) {
    if (entries.isEmpty()) return;
    long first = offset() + 1;
    long lastNew = entries.get(entries.size() - 1).index();
    if (lastNew < first) return; // all compacted
    int from = 0;
    if (entries.get(0).index() < first) from = (int) (first - entries.get(0).index());
    long at = entries.get(from).index();
    long next = offset() + ents.size();
    if (at > next) throw new IllegalArgumentException("raft storage: missing log entries: last " + (next - 1) + ", appending at " + at);
    int keep = (int) (at - offset());
    if (keep < ents.size()) ents.subList(keep, ents.size()).clear();
    ents.addAll(entries.subList(from, entries.size()));
  }

  /** Convenience for a brand-new cluster in tests: makes {@code cs} the initial membership. */
  public synchronized void setConfState(ConfState cs) {
    snapshot = new Snapshot(snapshot.index(), snapshot.term(), cs, snapshot.data());
  }
}
