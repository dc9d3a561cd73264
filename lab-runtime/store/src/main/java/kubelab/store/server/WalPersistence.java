package kubelab.store.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.raft.Snapshot;
import kubelab.store.Params;
import kubelab.store.wal.SnapshotFiles;
import kubelab.store.wal.Wal;
import kubelab.store.wal.WalCorruptException;

/**
 * {@link Persistence} on disk: the WAL in {@code <dir>/wal} and snapshot files in
 * {@code <dir>/snap} (etcd's member/wal and member/snap).
 *
 * <p>Recovery takes the newest intact snapshot and the WAL entries after it; the WAL must reach
 * back to the snapshot (entry snapshot+1 present, or no entries at all), otherwise entries would
 * be missing and the member refuses to start. Snapshots are written before the WAL is released,
 * so a crash between the two leaves more log than needed, never less.
 */
public final class WalPersistence implements Persistence {
  private final Path walDir;
  private final SnapshotFiles snaps;
  private final byte[] metadata;
  private final long segmentBytes;
  private Wal wal;

  /** {@code metadata} identifies the member (its cluster and id); a WAL with other metadata is refused. */
  public WalPersistence(Path dir, byte[] metadata, long segmentBytes) throws IOException {
    this.walDir = dir.resolve("wal");
    this.snaps = new SnapshotFiles(dir.resolve("snap"));
    this.metadata = metadata.clone();
    this.segmentBytes = segmentBytes;
  }

  public WalPersistence(Path dir, byte[] metadata) throws IOException {
    this(dir, metadata, Params.WAL_SEGMENT_BYTES);
  }

  @Override
  public Recovered recover() throws IOException {
    List<String> warnings = new ArrayList<>();
    if (!Wal.exists(walDir)) {
      wal = Wal.create(walDir, metadata, segmentBytes);
      return new Recovered(Snapshot.EMPTY, HardState.EMPTY, List.of(), warnings);
    }
    Snapshot snap = snaps.loadNewest();
    warnings.addAll(snaps.warnings());
    Wal.Opened o = Wal.open(walDir, segmentBytes);
    wal = o.wal();
    if (!java.util.Arrays.equals(o.metadata(), metadata)) {
      wal.close();
      throw new WalCorruptException("the WAL in " + walDir + " belongs to " + new String(o.metadata(), java.nio.charset.StandardCharsets.UTF_8)
          + ", not to " + new String(metadata, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (o.warning() != null) warnings.add(o.warning());
    if (o.snapshotIndex() > snap.index()) {
      throw new WalCorruptException("the WAL in " + walDir + " records a snapshot at index " + o.snapshotIndex()
          + " but no intact snapshot file in " + snaps.dir() + " reaches it (newest: " + snap.index() + ")");
    }
    List<Entry> entries = new ArrayList<>();
    for (Entry e : o.entries()) if (e.index() > snap.index()) entries.add(e);
    if (!entries.isEmpty() && entries.get(0).index() != snap.index() + 1) {
      throw new WalCorruptException("the WAL in " + walDir + " starts at entry " + entries.get(0).index()
          + " but the newest snapshot ends at " + snap.index() + ": entries in between are missing");
    }
    return new Recovered(snap, o.state(), entries, warnings);
  }

  @Override
  public void save(HardState hs, List<Entry> entries, boolean sync) throws IOException {
    wal.save(hs, entries, sync);
  }

  @Override
  public void saveSnapshot(Snapshot s, boolean fromLeader) throws IOException {
    snaps.save(s);
    if (fromLeader) wal.saveSnapshotMarker(s.index(), s.term());
  }

  @Override
  public void releaseTo(long index) throws IOException {
    wal.releaseTo(index, Params.MAX_WALS);
    snaps.purge(Params.MAX_SNAPSHOTS);
  }

  @Override
  public long syncs() {
    return wal == null ? 0 : wal.syncs();
  }

  @Override
  public long syncNanos() {
    return wal == null ? 0 : wal.syncNanos();
  }

  @Override
  public void close() throws IOException {
    if (wal != null) wal.close();
  }
}
