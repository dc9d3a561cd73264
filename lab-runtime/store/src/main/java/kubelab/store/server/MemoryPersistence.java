package kubelab.store.server;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.raft.Snapshot;

/**
 * {@link Persistence} in memory: the "disk" of a member of an embedded cluster without a data
 * directory. It outlives the member: a member closed and started again with the same object
 * recovers exactly what it had saved, as a process restarted on the same disk would. Nothing
 * survives the JVM. Thread-safe (synchronized).
 */
public final class MemoryPersistence implements Persistence {
  private Snapshot snapshot = Snapshot.EMPTY;
  private HardState hardState = HardState.EMPTY;
  private final ArrayList<Entry> entries = new ArrayList<>();

  @Override
  public synchronized Recovered recover() {
    return new Recovered(snapshot, hardState, List.copyOf(entries), List.of());
  }

  @Override
  public synchronized void save(HardState hs, List<Entry> es, boolean sync) {
    if (!es.isEmpty()) {
      long at = es.get(0).index();
      long first = entries.isEmpty() ? at : entries.get(0).index();
      if (at <= first) entries.clear();
      else if (at - first < entries.size()) entries.subList((int) (at - first), entries.size()).clear();
      entries.addAll(es);
    }
    if (hs != null) hardState = hs;
  }

  @Override
  public synchronized void saveSnapshot(Snapshot s, boolean fromLeader) {
    if (s.index() <= snapshot.index()) return;
    snapshot = s;
    if (fromLeader) entries.clear();
    else releaseTo(s.index());
  }

  @Override
  public synchronized void releaseTo(long index) {
    long limit = Math.min(index, snapshot.index());
    int n = 0;
    while (n < entries.size() && entries.get(n).index() <= limit) n++;
    entries.subList(0, n).clear();
  }

  @Override
  public void close() {}
}
