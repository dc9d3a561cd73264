package kubelab.raft;

/**
 * Flow control for one follower: the last index of each AppendEntries message sent but not yet
 * acknowledged, in a ring buffer of fixed capacity ({@link Config#maxInflightMsgs()}). When it is
 * full, the leader stops sending to that follower until acknowledgements free slots; this bounds
 * the memory and the network queue a slow follower can cost (etcd's "inflights").
 */
final class Inflights {
  private final long[] buffer;
  private int start;
  private int count;

  Inflights(int capacity) {
    this.buffer = new long[capacity];
  }

  int capacity() {
    return buffer.length;
  }

  boolean full() {
    return count == buffer.length;
  }

  int count() {
    return count;
  }

  /** Records a message whose last entry is {@code lastIndex}; indexes must increase. */
  void add(long lastIndex) {
    if (full()) throw new IllegalStateException("raft: adding to a full inflights window");
    buffer[(start + count) % buffer.length] = lastIndex;
    count++;
  }

  /** The follower acknowledged everything up to {@code index}: free those messages. */
  void freeLE(long index) {
    while (count > 0 && buffer[start] <= index) {
      start = (start + 1) % buffer.length;
      count--;
    }
  }

  /** Frees the oldest message (a heartbeat response proved the follower is alive). */
  void freeFirstOne() {
    if (count > 0) {
      start = (start + 1) % buffer.length;
      count--;
    }
  }

  void reset() {
    start = 0;
    count = 0;
  }
}
