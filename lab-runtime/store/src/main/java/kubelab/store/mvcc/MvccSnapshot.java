package kubelab.store.mvcc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CorruptDataException;

/**
 * The encoding of a whole {@link MvccStore}: what a snapshot file holds and what a leader sends a
 * follower that fell behind the compacted log (InstallSnapshot, §7).
 *
 * <p>Layout (varints unless noted): format version (u8), revision, compact revision, the number
 * of keys, then per key in key order its name and versions (value, createRevision, modRevision,
 * version, lease, sub-revision; a tombstone has version 0), then the leases (id, TTL). The event
 * log is not stored: it is rebuilt from the versions at or after the compact revision, which
 * compaction never removes, so watches from any revision still in history work after a restore.
 */
final class MvccSnapshot {
  private static final int FORMAT = 1;

  private MvccSnapshot() {}

  static byte[] encode(MvccStore s) {
    ByteWriter w = new ByteWriter(64 + s.index.size() * 64);
    w.u8(FORMAT).varLong(s.revision).varLong(s.compactRevision).varInt(s.index.size());
    for (Map.Entry<String, KeyHistory> e : s.index.entrySet()) {
      KeyHistory h = e.getValue();
      w.string(e.getKey()).varInt(h.size());
      for (int i = 0; i < h.size(); i++) {
        KeyValue kv = h.get(i);
        w.bytes(kv.value()).varLong(kv.createRevision()).varLong(kv.modRevision()).varLong(kv.version())
            .varLong(kv.lease()).varInt(h.sub(i));
      }
    }
    w.varInt(s.leases.size());
    s.leases.forEach((id, l) -> w.varLong(id).varLong(l.ttl));
    return w.toByteArray();
  }

  /** Replaces the state of {@code s} (which the caller holds locked) with the decoded snapshot. */
  static void decodeInto(byte[] data, MvccStore s) {
    ByteReader r = new ByteReader(data);
    int format = r.u8();
    if (format != FORMAT) throw new CorruptDataException("unknown keyspace snapshot format " + format);
    long revision = r.varLong();
    long compactRev = r.varLong();
    int nkeys = r.length();
    var index = new java.util.TreeMap<String, KeyHistory>();
    record Pending(long rev, int sub, WatchEvent event) {}
    List<Pending> events = new ArrayList<>();
    long firstRev = Math.max(compactRev, 2);
    for (int k = 0; k < nkeys; k++) {
      String key = r.string();
      int n = r.length();
      KeyHistory h = new KeyHistory();
      for (int i = 0; i < n; i++) {
        byte[] value = r.bytes();
        KeyValue kv = new KeyValue(key, value, r.varLong(), r.varLong(), r.varLong(), r.varLong());
        int sub = r.varInt();
        KeyValue prev = h.size() == 0 || KeyHistory.isTombstone(h.latest()) ? null : h.latest();
        h.add(kv, sub);
        if (kv.modRevision() >= firstRev) {
          WatchEvent.Type t = KeyHistory.isTombstone(kv) ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
          events.add(new Pending(kv.modRevision(), sub, new WatchEvent(t, kv, prev)));
        }
      }
      index.put(key, h);
    }
    var leases = new java.util.TreeMap<Long, MvccStore.LeaseEntry>();
    int nleases = r.length();
    for (int i = 0; i < nleases; i++) leases.put(r.varLong(), new MvccStore.LeaseEntry(r.varLong()));
    r.expectEnd();
    index.forEach((key, h) -> {
      KeyValue live = h.live();
      if (live != null && live.lease() != 0) {
        MvccStore.LeaseEntry l = leases.get(live.lease());
        if (l == null) throw new CorruptDataException("key " + key + " is attached to unknown lease " + live.lease());
        l.keys.add(key);
      }
    });
    events.sort(Comparator.comparingLong(Pending::rev).thenComparingInt(Pending::sub));
    EventLog log = new EventLog(firstRev);
    List<WatchEvent> cur = new ArrayList<>();
    long curRev = -1;
    for (Pending p : events) {
      if (p.rev() != curRev && !cur.isEmpty()) {
        log.append(curRev, List.copyOf(cur));
        cur.clear();
      }
      curRev = p.rev();
      cur.add(p.event());
    }
    if (!cur.isEmpty()) log.append(curRev, List.copyOf(cur));
    if (log.last() != revision && revision >= firstRev) {
      throw new CorruptDataException("keyspace snapshot history ends at " + log.last() + ", revision is " + revision);
    }
    s.index.clear();
    s.index.putAll(index);
    s.leases.clear();
    s.leases.putAll(leases);
    s.revision = revision;
    s.compactRevision = compactRev;
    s.log = log;
  }
}
