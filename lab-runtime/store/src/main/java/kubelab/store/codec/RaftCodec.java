package kubelab.store.codec;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.raft.Message;
import kubelab.raft.MessageType;
import kubelab.raft.Snapshot;

/**
 * Binary encodings of the Raft records (etcd's raftpb, without protobuf): entries and hard
 * states in the WAL, messages on the wire, snapshots in snapshot files. Field order is fixed;
 * every number is a varint. Decoding checks bounds and enum ordinals and throws {@link
 * CorruptDataException} on anything it cannot read.
 */
public final class RaftCodec {
  private RaftCodec() {}

  private static final MessageType[] TYPES = MessageType.values();
  private static final Entry.Type[] ENTRY_TYPES = Entry.Type.values();

  public static void writeEntry(ByteWriter w, Entry e) {
    w.varLong(e.term()).varLong(e.index()).u8(e.type().ordinal()).bytes(e.data());
  }

  public static Entry readEntry(ByteReader r) {
    long term = r.varLong();
    long index = r.varLong();
    int t = r.u8();
    if (t >= ENTRY_TYPES.length) throw new CorruptDataException("bad entry type " + t);
    return new Entry(term, index, ENTRY_TYPES[t], r.bytes());
  }

  public static void writeHardState(ByteWriter w, HardState h) {
    w.varLong(h.term()).varLong(h.vote()).varLong(h.commit());
  }

  public static HardState readHardState(ByteReader r) {
    return new HardState(r.varLong(), r.varLong(), r.varLong());
  }

  public static void writeConfState(ByteWriter w, ConfState c) {
    w.varInt(c.voters().size());
    for (long v : c.voters()) w.varLong(v);
    w.varInt(c.learners().size());
    for (long v : c.learners()) w.varLong(v);
  }

  public static ConfState readConfState(ByteReader r) {
    int n = r.length();
    List<Long> voters = new ArrayList<>(n);
    for (int i = 0; i < n; i++) voters.add(r.varLong());
    int m = r.length();
    List<Long> learners = new ArrayList<>(m);
    for (int i = 0; i < m; i++) learners.add(r.varLong());
    return new ConfState(voters, learners);
  }

  public static void writeSnapshot(ByteWriter w, Snapshot s) {
    w.varLong(s.index()).varLong(s.term());
    writeConfState(w, s.confState());
    w.bytes(s.data());
  }

  public static Snapshot readSnapshot(ByteReader r) {
    long index = r.varLong();
    long term = r.varLong();
    ConfState cs = readConfState(r);
    return new Snapshot(index, term, cs, r.bytes());
  }

  public static void writeMessage(ByteWriter w, Message m) {
    w.u8(m.type().ordinal()).varLong(m.from()).varLong(m.to()).varLong(m.term()).varLong(m.logTerm())
        .varLong(m.index()).varLong(m.commit()).bool(m.reject()).varLong(m.rejectHint()).bytes(m.context());
    w.varInt(m.entries().size());
    for (Entry e : m.entries()) writeEntry(w, e);
    boolean snap = !m.snapshot().isEmpty();
    w.bool(snap);
    if (snap) writeSnapshot(w, m.snapshot());
  }

  public static Message readMessage(ByteReader r) {
    int t = r.u8();
    if (t >= TYPES.length) throw new CorruptDataException("bad message type " + t);
    Message.Builder b = Message.builder(TYPES[t]).from(r.varLong()).to(r.varLong()).term(r.varLong())
        .logTerm(r.varLong()).index(r.varLong()).commit(r.varLong()).reject(r.bool()).rejectHint(r.varLong())
        .context(r.bytes());
    int n = r.length();
    if (n > 0) {
      List<Entry> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) entries.add(readEntry(r));
      b.entries(entries);
    }
    if (r.bool()) b.snapshot(readSnapshot(r));
    return b.build();
  }

  public static byte[] encodeMessage(Message m) {
    ByteWriter w = new ByteWriter(64 + m.entries().size() * 300);
    writeMessage(w, m);
    return w.toByteArray();
  }

  public static Message decodeMessage(byte[] b) {
    ByteReader r = new ByteReader(b);
    Message m = readMessage(r);
    r.expectEnd();
    return m;
  }
}
