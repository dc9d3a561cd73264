package kubelab.raft;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The leader's pending ReadIndex requests (dissertation §6.4, "Processing read-only queries
 * more efficiently"):
 *
 * <ol>
 *   <li>the leader records its commit index as the request's read index;
 *   <li>it sends a heartbeat round carrying the request's context, to make sure it has not been
 *       deposed by a leader it does not know about;
 *   <li>once a quorum acknowledged that heartbeat, the read index is safe: the application may
 *       answer the read once it has applied up to it.
 * </ol>
 *
 * Requests are answered in arrival order: an acknowledgement of a later request also confirms
 * every earlier one (the leader was still the leader when it sent the later heartbeat).
 */
final class ReadOnly {
  /** One pending request: its read index, who asked (the leader itself or a follower), and the acks. */
  static final class ReadIndexStatus {
    final long index;
    final long from;
    final byte[] ctx;
    final TreeSet<Long> acks = new TreeSet<>();

    ReadIndexStatus(long index, long from, byte[] ctx) {
      this.index = index;
      this.from = from;
      this.ctx = ctx;
    }
  }

  private final Map<ByteBuffer, ReadIndexStatus> pending = new HashMap<>();
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

  /** Records a request with read index {@code index}; a duplicate context is ignored. */
  void addRequest(long index, long from, byte[] ctx) {
    ByteBuffer key = ByteBuffer.wrap(ctx);
    if (pending.containsKey(key)) return;
    pending.put(key, new ReadIndexStatus(index, from, ctx));
    queue.addLast(key);
  }

  /**
   * Records that {@code id} acknowledged the heartbeat carrying {@code ctx}; returns how many of
   * {@code voters} acknowledged it (learners do not count), or 0 if the request is unknown.
   */
  int recvAck(long id, byte[] ctx, java.util.Set<Long> voters) {
    ReadIndexStatus rs = pending.get(ByteBuffer.wrap(ctx));
    if (rs == null) return 0;
    rs.acks.add(id);
    int n = 0;
    for (long a : rs.acks) if (voters.contains(a)) n++;
    return n;
  }

  /** Removes and returns every request up to and including the one with {@code ctx}, oldest first. */
  List<ReadIndexStatus> advance(byte[] ctx) {
    ByteBuffer key = ByteBuffer.wrap(ctx);
    if (!pending.containsKey(key)) return List.of();
    List<ReadIndexStatus> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      ByteBuffer k = queue.pollFirst();
      out.add(pending.remove(k));
      if (k.equals(key)) break;
    }
    return out;
  }

  /** The context of the newest pending request, or null: every heartbeat round re-asks for it. */
  byte[] lastPendingContext() {
    return queue.isEmpty() ? null : pending.get(queue.peekLast()).ctx;
  }

  int size() {
    return queue.size();
  }

  void clear() {
    pending.clear();
    queue.clear();
  }
}
