package kubelab.store.mvcc;

import java.util.ArrayList;
import java.util.List;
import kubelab.store.KvStore.WatchEvent;

/**
 * The changes of every revision still in history, in revision order: what a watch that starts
 * in the past replays. Every write revision changed at least one key, so the log is dense: the
 * events of revision {@code r} sit at position {@code r - first}.
 *
 * <p>Events always carry the previous value; a watch that did not ask for it gets a copy without.
 * The KeyValues are shared with {@link KeyHistory}, so the log costs a reference per change.
 * Not thread-safe: owned by {@link MvccStore}.
 */
final class EventLog {
  private final ArrayList<List<WatchEvent>> revs = new ArrayList<>();
  private long first;

  EventLog(long first) {
    this.first = first;
  }

  /** The oldest revision held (the log may be empty: then it is the next revision expected). */
  long first() {
    return first;
  }

  long last() {
    return first + revs.size() - 1;
  }

  void append(long rev, List<WatchEvent> events) {
    if (rev != first + revs.size()) throw new IllegalStateException("event log: revision " + rev + " after " + last());
    revs.add(events);
  }

  /** Events of revision {@code rev}, which must be in [first, last]. */
  List<WatchEvent> at(long rev) {
    return revs.get((int) (rev - first));
  }

  /** Forgets revisions below {@code rev}. */
  void dropBefore(long rev) {
    if (rev <= first) return;
    int n = (int) Math.min(revs.size(), rev - first);
    revs.subList(0, n).clear();
    first = rev > last() + 1 ? rev : first + n;
  }
}
