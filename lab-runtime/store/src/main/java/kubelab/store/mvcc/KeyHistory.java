package kubelab.store.mvcc;

import java.util.Arrays;
import kubelab.store.KvStore.KeyValue;

/**
 * The versions of one key, oldest first (etcd's keyIndex, flattened): every put adds a version,
 * every delete adds a tombstone. A tombstone is a {@link KeyValue} with {@code version == 0}; it
 * ends a generation, and the next put starts a new one with a fresh createRevision.
 *
 * <p>Each version also remembers its sub-revision (its position among the changes of one
 * revision), so events of a transaction that touched several keys come back in the order the
 * transaction made them. Not thread-safe: owned by {@link MvccStore}, used under its lock.
 */
final class KeyHistory {
  private KeyValue[] kvs = new KeyValue[2];
  private int[] subs = new int[2];
  private int n;

  static boolean isTombstone(KeyValue kv) {
    return kv.version() == 0;
  }

  int size() {
    return n;
  }

  KeyValue get(int i) {
    return kvs[i];
  }

  int sub(int i) {
    return subs[i];
  }

  /** The newest version or tombstone, or null for an empty history. */
  KeyValue latest() {
    return n == 0 ? null : kvs[n - 1];
  }

  /** The newest live value, or null if the key is deleted now. */
  KeyValue live() {
    KeyValue kv = latest();
    return kv == null || isTombstone(kv) ? null : kv;
  }

  /** The version visible at {@code rev}: the newest with modRevision ≤ rev, or null if none or a tombstone. */
  KeyValue at(long rev) {
    int i = indexAt(rev);
    if (i < 0) return null;
    KeyValue kv = kvs[i];
    return isTombstone(kv) ? null : kv;
  }

  /** Index of the newest version with modRevision ≤ rev, or -1. */
  private int indexAt(long rev) {
    if (n > 0 && kvs[n - 1].modRevision() <= rev) return n - 1; // the common case: the present
    int lo = 0, hi = n - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (kvs[mid].modRevision() <= rev) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Appends a version; its modRevision must be newer than every version present. */
  void add(KeyValue kv, int sub) {
    if (n > 0 && kvs[n - 1].modRevision() >= kv.modRevision()) {
      throw new IllegalStateException("revision " + kv.modRevision() + " not after " + kvs[n - 1].modRevision() + " for " + kv.key());
    }
    if (n == kvs.length) {
      kvs = Arrays.copyOf(kvs, n * 2);
      subs = Arrays.copyOf(subs, n * 2);
    }
    kvs[n] = kv;
    subs[n] = sub;
    n++;
  }

  /**
   * The versions as they are now, for a snapshot encoded on another thread while this history
   * goes on changing. Safe because no slot below {@code n} is ever written again: {@link #add}
   * writes past the end (or into a new array) and {@link #compact} makes new arrays.
   */
  Frozen freeze() {
    return new Frozen(kvs, subs, n);
  }

  record Frozen(KeyValue[] kvs, int[] subs, int n) {}

  /**
   * Drops what no read at revision ≥ {@code rev} can see: every version older than the newest one
   * at or below {@code rev}, and that one too if it is a tombstone older than {@code rev} (etcd's
   * keyIndex.compact). A tombstone at exactly {@code rev} stays until the next compaction: it is
   * the delete event of revision {@code rev}, which a watch from {@code rev} still replays, and
   * a snapshot rebuilds the event log from the versions.
   *
   * @return true if the history is now empty (the key can be forgotten)
   */
  boolean compact(long rev) {
    int i = indexAt(rev);
    if (i < 0) return n == 0;
    int keepFrom = isTombstone(kvs[i]) && kvs[i].modRevision() < rev ? i + 1 : i;
    if (keepFrom > 0) {
      // New arrays, never a shift in place: a frozen view may still be reading the old ones.
      int left = n - keepFrom;
      int end = keepFrom + Math.max(2, left); // room to grow; past the old end it pads with null
      kvs = Arrays.copyOfRange(kvs, keepFrom, end);
      subs = Arrays.copyOfRange(subs, keepFrom, end);
      n = left;
    }
    return n == 0;
  }
}
