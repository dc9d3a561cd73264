package kubelab.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log that the driver has not persisted yet: entries appended since the last
 * {@link RawNode#advance}, and possibly a snapshot received from the leader. Entry {@code i} lives
 * at {@code entries.get(i - offset)}. When the driver confirms that it wrote them (advance), they
 * are dropped from here and read back from {@link Storage} instead.
 *
 * <p>If the node crashes, everything here is lost: that is why a node must persist before it
 * sends messages that promise anything about these entries (package-info, step 1 before step 2).
 */
final class Unstable {
  /** A snapshot received from the leader and not yet persisted, or null. */
  Snapshot snapshot;
  /** Entries not yet persisted; the first one has index {@code offset}. */
  final ArrayList<Entry> entries = new ArrayList<>();
  long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  /** The first index if only a snapshot is here (snapshot index + 1), else -1. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  /** The last index held here, or -1 if nothing is. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) return offset + entries.size() - 1;
    if (snapshot != null) return snapshot.index();
    return -1;
  }

  /** The term of entry {@code i} if it is held here, or -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.index() == i) return snapshot.term();
      return -1;
    }
    long last = maybeLastIndex();
    if (last == -1 || i > last) return -1;
    return entries.get((int) (i - offset)).term();
  }

  /** The driver persisted entries up to {@code i} (of term {@code t}): forget them. */
  void stableTo(long i, long t) {
    long gt = maybeTerm(i);
    if (gt == -1 || i < offset) return;
    // Only if the entry is still the one that was persisted: a newer leader may have replaced it
    // while the driver was writing (then the new entry is still unstable).
    if (gt == t) {
      entries.subList(0, (int) (i + 1 - offset)).clear();
      offset = i + 1;
      entries.trimToSize();
    }
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.index() == i) snapshot = null;
  }

  void restore(Snapshot s) {
    offset = s.index() + 1;
    entries.clear();
    snapshot = s;
  }

  /** Appends, replacing any entries at or after the first new index (§5.3: conflicts are overwritten). */
  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents); // the common case: directly after
    } else if (after <= offset) {
      // Replacing everything unstable (and, in storage, everything from `after` on: the driver's
      // append overwrites the conflicting suffix there).
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  /** Entries {@code [lo, hi)}, all of which must be held here. */
  List<Entry> slice(long lo, long hi) {
    if (lo > hi || lo < offset || hi > offset + entries.size()) {
      throw new IllegalStateException("unstable.slice[" + lo + "," + hi + ") out of bound [" + offset + "," + (offset + entries.size()) + "]");
    }
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
