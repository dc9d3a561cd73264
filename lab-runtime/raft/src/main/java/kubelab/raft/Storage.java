package kubelab.raft;

import java.util.List;

/**
 * The stable storage a Raft node reads its log from (Figure 2, "persistent state"). The core only
 * reads it; the driver writes it in step 1 of the Ready loop (see package-info): it appends
 * {@link Ready#entries()}, saves {@link Ready#hardState()} and applies {@link Ready#snapshot()}.
 * {@link MemoryStorage} is the in-memory implementation; the store's WAL-backed one implements
 * the same contract.
 *
 * <p>The log in storage is the entries {@code firstIndex()..lastIndex()}, preceded by the
 * snapshot at {@code firstIndex() - 1} whose term {@code term(firstIndex() - 1)} still answers.
 * Methods must not block on the network; they may be called from the driver's thread only.
 */
public interface Storage {

  /**
   * The persisted hard state and membership, read once when a node starts. {@code confState} is
   * the membership as of the snapshot's index ({@link #snapshot()}), empty when there is no
   * snapshot and none was recorded; the conf changes in the log after it are applied on top as
   * the node applies them.
   */
  record InitialState(HardState hardState, ConfState confState) {}

  InitialState initialState();

  /**
   * Entries {@code [lo, hi)}, at most {@code maxSize} bytes but always at least one entry if any.
   *
   * @throws CompactedException if {@code lo <= } the snapshot index
   */
  List<Entry> entries(long lo, long hi, long maxSize);

  /**
   * The term of entry {@code i}, for {@code firstIndex() - 1 <= i <= lastIndex()}.
   *
   * @throws CompactedException if {@code i < firstIndex() - 1}
   * @throws UnavailableException if {@code i > lastIndex()}
   */
  long term(long i);

  /** Index of the first entry still in the log (snapshot index + 1). */
  long firstIndex();

  /** Index of the last entry (the snapshot index if the log is empty behind it). */
  long lastIndex();

  /**
   * The most recent snapshot, to send to a follower that is too far behind.
   *
   * @throws SnapshotUnavailableException if it is being made; the leader will retry later
   */
  Snapshot snapshot();

  /** The requested index is behind the last snapshot: those entries are gone. */
  final class CompactedException extends RuntimeException {
    public CompactedException(long index, long firstIndex) {
      super("raft storage: index " + index + " is compacted (first index is " + firstIndex + ")", null, false, false);
    }
  }

  /** The requested index is beyond the last entry. */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(long index, long lastIndex) {
      super("raft storage: index " + index + " is beyond the last index " + lastIndex, null, false, false);
    }
  }

  /** The snapshot is not ready yet; the leader tries again later. */
  final class SnapshotUnavailableException extends RuntimeException {
    public SnapshotUnavailableException() {
      super("raft storage: snapshot temporarily unavailable", null, false, false);
    }
  }
}
