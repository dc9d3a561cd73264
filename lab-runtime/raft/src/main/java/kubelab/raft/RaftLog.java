package kubelab.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's view of its log (§5.3): the persisted part in {@link Storage} followed by the
 * {@link Unstable} tail, plus the two cursors of Figure 2, {@code committed} (commitIndex: known
 * to be stored on a majority) and {@code applied} (lastApplied: handed to the state machine).
 * Invariant: {@code applied <= committed <= lastIndex()}.
 *
 * <pre>
 *   firstIndex-1      applied     committed         stable|unstable       lastIndex
 *   [snapshot] [1] [2] ... [a] ... [c] ...   [persisted] | [not persisted]  [l]
 * </pre>
 */
final class RaftLog {
  final Storage storage;
  final Unstable unstable;
  /** Highest index known to be stored on a quorum (Figure 2: commitIndex). */
  long committed;
  /** Highest index handed to the application to apply (Figure 2: lastApplied). */
  long applied;
  private final long maxCommittedSize;
  /** Notable events (a truncated tail), or null. */
  private final java.util.function.Consumer<String> events;

  RaftLog(Storage storage, long maxCommittedSize, java.util.function.Consumer<String> events) {
    this.storage = storage;
    this.maxCommittedSize = maxCommittedSize;
    this.events = events;
    long first = storage.firstIndex();
    long last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = first - 1;
    this.applied = first - 1;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i != -1 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i != -1 ? i : storage.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /**
   * The term of entry {@code i}; 0 if {@code i} is beyond the last index (no such entry).
   *
   * @throws Storage.CompactedException if the entry is behind the snapshot
   */
  long term(long i) {
    long dummy = firstIndex() - 1;
    if (i < dummy) throw new Storage.CompactedException(i, dummy + 1);
    if (i > lastIndex()) return 0;
    long t = unstable.maybeTerm(i);
    if (t != -1) return t;
    return storage.term(i);
  }

  /** The term of entry {@code i}, or 0 if it is compacted or does not exist. */
  long termOrZero(long i) {
    try {
      return term(i);
    } catch (Storage.CompactedException e) {
      return 0;
    }
  }

  /** Whether this log holds an entry at {@code i} with term {@code t} (the Log Matching check, §5.3). */
  boolean matchTerm(long i, long t) {
    try {
      return term(i) == t;
    } catch (Storage.CompactedException e) {
      return false;
    }
  }

  /**
   * Whether a log ending with ({@code lastTerm}, {@code lastIndex}) is at least as up-to-date as
   * ours: a later last term wins; with equal last terms the longer log wins (§5.4.1).
   */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    long ourTerm = lastTerm();
    return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= lastIndex());
  }

  /**
   * Receiver rules 3 and 4 of AppendEntries (Figure 2) after the consistency check on
   * ({@code prevIndex}, {@code prevTerm}) passed: "If an existing entry conflicts with a new one
   * (same index but different terms), delete the existing entry and all that follow it (§5.3)";
   * "Append any new entries not already in the log". An entry we already hold is never truncated,
   * so a delayed duplicate AppendEntries cannot erase entries (§5.3).
   *
   * @return the index of the last new entry, or -1 if the consistency check fails
   */
  long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(prevIndex, prevTerm)) return -1;
    long lastNew = prevIndex + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException("raft: entry " + conflict + " conflicts with a committed entry (committed " + committed + ")");
      }
      if (conflict <= lastIndex() && events != null) {
        Entry theirs = ents.get((int) (conflict - (prevIndex + 1)));
        events.accept("truncated its uncommitted log after index " + (conflict - 1) + ": entry " + conflict
            + " of term " + termOrZero(conflict) + " conflicts with the leader's entry of term " + theirs.term());
      }
      append(ents.subList((int) (conflict - (prevIndex + 1)), ents.size()));
    }
    // Rule 5: if leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry).
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /**
   * The index of the first entry of {@code ents} that is not in our log with the same term: a
   * conflict, or the first new entry; 0 if we already hold them all.
   */
  long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) return e.index();
    }
    return 0;
  }

  /**
   * The largest index {@code <= index} whose term is {@code <= term}. Used by the fast back-off
   * of §5.3: every entry after it certainly conflicts with a log whose entry at {@code index} has
   * term {@code term}, so the leader can skip a whole term per round trip, not one entry.
   */
  long findConflictByTerm(long index, long term) {
    for (; index > 0; index--) {
      try {
        if (term(index) <= term) return index;
      } catch (Storage.CompactedException e) {
        return index;
      }
    }
    return 0;
  }

  /** Appends to the unstable tail, replacing any conflicting suffix. Returns the new last index. */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) return lastIndex();
    long after = ents.get(0).index() - 1;
    if (after < committed) {
      throw new IllegalStateException("raft: appending after " + after + " would overwrite committed entries up to " + committed);
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  void commitTo(long toCommit) {
    if (toCommit > committed) {
      if (toCommit > lastIndex()) {
        throw new IllegalStateException("raft: commit " + toCommit + " is beyond the last index " + lastIndex() + " (log lost or corrupt?)");
      }
      committed = toCommit;
    }
  }

  void appliedTo(long i) {
    if (i == 0) return;
    if (i > committed || i < applied) {
      throw new IllegalStateException("raft: applied " + i + " is outside [" + applied + ", " + committed + "]");
    }
    applied = i;
  }

  void stableTo(long i, long t) {
    unstable.stableTo(i, t);
  }

  void stableSnapTo(long i) {
    unstable.stableSnapTo(i);
  }

  /** The entries the driver must persist (a copy). */
  List<Entry> unstableEntries() {
    return unstable.entries.isEmpty() ? List.of() : List.copyOf(unstable.entries);
  }

  boolean hasUnstable() {
    return !unstable.entries.isEmpty() || unstable.snapshot != null;
  }

  /** Committed entries not yet handed to the application, at most maxCommittedSize bytes. */
  List<Entry> nextCommittedEntries() {
    long off = Math.max(applied + 1, firstIndex());
    if (committed + 1 > off) return slice(off, committed + 1, maxCommittedSize);
    return List.of();
  }

  boolean hasNextCommittedEntries() {
    return committed + 1 > Math.max(applied + 1, firstIndex());
  }

  Snapshot snapshot() {
    return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
  }

  /** Replaces the log with a snapshot (InstallSnapshot, §7): everything up to it is committed. */
  void restore(Snapshot s) {
    committed = s.index();
    unstable.restore(s);
  }

  /** Entries from {@code lo} to the end, at most {@code maxSize} bytes (at least one). */
  List<Entry> entries(long lo, long maxSize) {
    if (lo > lastIndex()) return List.of();
    return slice(lo, lastIndex() + 1, maxSize);
  }

  /**
   * Entries {@code [lo, hi)}, at most {@code maxSize} bytes but at least one.
   *
   * @throws Storage.CompactedException if {@code lo} is behind the snapshot
   */
  List<Entry> slice(long lo, long hi, long maxSize) {
    long first = firstIndex();
    if (lo < first) throw new Storage.CompactedException(lo, first);
    if (hi > lastIndex() + 1 || lo > hi) {
      throw new IllegalStateException("raft: slice[" + lo + "," + hi + ") out of bound [" + first + "," + lastIndex() + "]");
    }
    if (lo == hi) return List.of();
    List<Entry> out = new ArrayList<>();
    long size = 0;
    if (lo < unstable.offset) {
      List<Entry> stored = storage.entries(lo, Math.min(hi, unstable.offset), maxSize);
      for (Entry e : stored) {
        size += e.size();
        out.add(e);
      }
      // Storage stopped early because of the size limit: do not add unstable entries after a gap.
      if (stored.size() < Math.min(hi, unstable.offset) - lo) return out;
    }
    if (hi > unstable.offset) {
      for (Entry e : unstable.slice(Math.max(lo, unstable.offset), hi)) {
        size += e.size();
        if (!out.isEmpty() && size > maxSize) break;
        out.add(e);
      }
    }
    return out;
  }

  /** Every entry still in the log (for scenario output and status pages). */
  List<Entry> allEntries() {
    return entries(firstIndex(), Long.MAX_VALUE);
  }
}
