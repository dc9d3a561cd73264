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

  /** A point-in-time copy of what a snapshot holds, cheap to take: the histories are shared, frozen. */
  record Frozen(long revision, long compactRevision, String[] keys, KeyHistory.Frozen[] histories, long[] leaseIds, long[] leaseTtls) {}

  /** Freezes {@code s} (which the caller holds locked): O(keys + leases), no values copied. */
  static Frozen freeze(MvccStore s) {
    String[] keys = new String[s.index.size()];
    KeyHistory.Frozen[] hs = new KeyHistory.Frozen[keys.length];
    int i = 0;
    for (Map.Entry<String, KeyHistory> e : s.index.entrySet()) {
      keys[i] = e.getKey();
      hs[i++] = e.getValue().freeze();
    }
    long[] ids = new long[s.leases.size()];
    long[] ttls = new long[ids.length];
    int j = 0;
    for (var l : s.leases.entrySet()) {
      ids[j] = l.getKey();
      ttls[j++] = l.getValue().ttl;
    }
    return new Frozen(s.revision, s.compactRevision, keys, hs, ids, ttls);
  }

  static byte[] encode(MvccStore s) {
    return encode(freeze(s));
  }

  /** Encodes a frozen state; any thread. */
  static byte[] encode(Frozen f) {
    ByteWriter w = new ByteWriter(64 + f.keys().length * 64);
    w.u8(FORMAT).varLong(f.revision()).varLong(f.compactRevision()).varInt(f.keys().length);
    for (int k = 0; k < f.keys().length; k++) {
      KeyHistory.Frozen h = f.histories()[k];
      w.string(f.keys()[k]).varInt(h.n());
      for (int i = 0; i < h.n(); i++) {
        KeyValue kv = h.kvs()[i];
        w.bytes(kv.value()).varLong(kv.createRevision()).varLong(kv.modRevision()).varLong(kv.version())
            .varLong(kv.lease()).varInt(h.subs()[i]);
      }
    }
    w.varInt(f.leaseIds().length);
    for (int i = 0; i < f.leaseIds().length; i++) w.varLong(f.leaseIds()[i]).varLong(f.leaseTtls()[i]);
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
