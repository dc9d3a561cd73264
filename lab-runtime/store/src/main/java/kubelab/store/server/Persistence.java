package kubelab.store.server;

import java.io.IOException;
import java.util.List;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.raft.Snapshot;

/**
 * Where a member's Raft state survives a crash: step 1 ("persist") of the driver loop writes
 * here, and a restarted member recovers from here.
 *
 * <p>Two implementations: {@link WalPersistence} (WAL and snapshot files in a data directory:
 * a member process, or an embedded cluster with a state directory) and {@link MemoryPersistence}
 * (objects kept in the JVM: an embedded cluster without a directory, where "crash and restart a
 * member" still has to keep what that member had promised, or Raft would be unsafe).
 *
 * <p>Called from the member's Raft thread, except {@link #saveSnapshot} with {@code fromLeader
 * == false} and {@link #releaseTo}, which the apply thread calls after it made a snapshot.
 */
public interface Persistence extends AutoCloseable {
  /** What a member starts from: its newest snapshot (or EMPTY), hard state, and the entries after the snapshot. */
  record Recovered(Snapshot snapshot, HardState hardState, List<Entry> entries, List<String> warnings) {}

  Recovered recover() throws IOException;

  /** Appends entries and saves the hard state (null: unchanged); with {@code sync}, durable on return. */
  void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException;

  /**
   * Saves a snapshot durably. {@code fromLeader}: it arrived from the leader and replaces the
   * whole log; otherwise this member made it from its own state and the log after it stays.
   */
  void saveSnapshot(Snapshot snapshot, boolean fromLeader) throws IOException;

  /** The log up to {@code index} is covered by a saved snapshot and may be discarded. */
  void releaseTo(long index) throws IOException;

  /** fsyncs done and their total time, for status and the benchmark. */
  default long syncs() {
    return 0;
  }

  default long syncNanos() {
    return 0;
  }

  @Override
  void close() throws IOException;
}
