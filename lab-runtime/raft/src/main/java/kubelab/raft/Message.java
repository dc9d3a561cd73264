package kubelab.raft;

import java.util.List;

/**
 * A Raft message. Which fields mean something depends on {@link #type()}, as in etcd's raftpb:
 * <ul>
 *   <li>APP: {@code index}/{@code logTerm} are prevLogIndex/prevLogTerm, {@code entries} the new
 *       entries, {@code commit} the leader's commit index.
 *   <li>APP_RESP: {@code index} the last index the follower now matches (or, when {@code reject},
 *       the rejected prevLogIndex), {@code rejectHint}/{@code logTerm} the fast back-off hint.
 *   <li>VOTE / PRE_VOTE: {@code index}/{@code logTerm} the candidate's last log index and term.
 *   <li>HEARTBEAT: {@code commit}; {@code context} carries ReadIndex request contexts.
 *   <li>SNAP: {@code snapshot}.
 * </ul>
 * Messages are immutable; {@code entries} is an unmodifiable list.
 */
public record Message(
    MessageType type,
    long from,
    long to,
    long term,
    long logTerm,
    long index,
    List<Entry> entries,
    long commit,
    Snapshot snapshot,
    boolean reject,
    long rejectHint,
    byte[] context) {

  public Message {
    entries = entries == null ? List.of() : List.copyOf(entries);
    if (snapshot == null) snapshot = Snapshot.EMPTY;
    if (context == null) context = Entry.EMPTY;
  }

  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  public Builder toBuilder() {
    return new Builder(type).from(from).to(to).term(term).logTerm(logTerm).index(index)
        .entries(entries).commit(commit).snapshot(snapshot).reject(reject)
        .rejectHint(rejectHint).context(context);
  }

  /** A mutable builder, because most messages set only a few fields. */
  public static final class Builder {
    private final MessageType type;
    private long from, to, term, logTerm, index, commit, rejectHint;
    private List<Entry> entries = List.of();
    private Snapshot snapshot = Snapshot.EMPTY;
    private boolean reject;
    private byte[] context = Entry.EMPTY;

    private Builder(MessageType type) { this.type = type; }

    public Builder from(long v) { from = v; return this; }
    public Builder to(long v) { to = v; return this; }
    public Builder term(long v) { term = v; return this; }
    public Builder logTerm(long v) { logTerm = v; return this; }
    public Builder index(long v) { index = v; return this; }
    public Builder entries(List<Entry> v) { entries = v; return this; }
    public Builder commit(long v) { commit = v; return this; }
    public Builder snapshot(Snapshot v) { snapshot = v; return this; }
    public Builder reject(boolean v) { reject = v; return this; }
    public Builder rejectHint(long v) { rejectHint = v; return this; }
    public Builder context(byte[] v) { context = v; return this; }

    public Message build() {
      return new Message(type, from, to, term, logTerm, index, entries, commit, snapshot, reject, rejectHint, context);
    }
  }
}
