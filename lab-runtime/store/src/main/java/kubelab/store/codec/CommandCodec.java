package kubelab.store.codec;

import java.util.ArrayList;
import java.util.List;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.DeleteResponse;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.KvStore.Op;
import kubelab.store.KvStore.OpResponse;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.PutResponse;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.RangeResponse;
import kubelab.store.KvStore.TxnRequest;
import kubelab.store.KvStore.TxnResponse;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.mvcc.Command;

/**
 * Binary encodings of the keyspace's requests, responses and commands: the payload of log
 * entries (a command with the id of the request that proposed it) and of the client protocol.
 * One encoding per record, shared by both uses, so a request is encoded once on its way from a
 * client through the log.
 */
public final class CommandCodec {
  private CommandCodec() {}

  // Op tags (also command tags; values are part of the on-disk format: never renumber).
  public static final int RANGE = 1, PUT = 2, DELETE = 3, TXN = 4, COMPACT = 5, LEASE_GRANT = 6, LEASE_REVOKE = 7, LEASE_RENEW = 8;
  private static final Compare.Target[] TARGETS = Compare.Target.values();
  private static final Compare.Result[] RESULTS = Compare.Result.values();
  private static final WatchEvent.Type[] EVENT_TYPES = WatchEvent.Type.values();

  // --- requests ---------------------------------------------------------------------------------

  public static void writeRange(ByteWriter w, RangeRequest r) {
    w.string(r.key()).nullableString(r.rangeEnd()).varLong(r.limit()).varLong(r.revision())
        .u8((r.keysOnly() ? 1 : 0) | (r.countOnly() ? 2 : 0) | (r.serializable() ? 4 : 0));
  }

  public static RangeRequest readRange(ByteReader r) {
    String key = r.string();
    String end = r.nullableString();
    long limit = r.varLong();
    long rev = r.varLong();
    int f = r.u8();
    return new RangeRequest(key, end, limit, rev, (f & 1) != 0, (f & 2) != 0, (f & 4) != 0);
  }

  public static void writePut(ByteWriter w, PutRequest p) {
    w.string(p.key()).bytes(p.value()).varLong(p.lease()).bool(p.prevKv());
  }

  public static PutRequest readPut(ByteReader r) {
    return new PutRequest(r.string(), r.bytes(), r.varLong(), r.bool());
  }

  public static void writeDelete(ByteWriter w, DeleteRequest d) {
    w.string(d.key()).nullableString(d.rangeEnd()).bool(d.prevKv());
  }

  public static DeleteRequest readDelete(ByteReader r) {
    return new DeleteRequest(r.string(), r.nullableString(), r.bool());
  }

  public static void writeOp(ByteWriter w, Op op) {
    if (op instanceof RangeRequest r) writeRange(w.u8(RANGE), r);
    else if (op instanceof PutRequest p) writePut(w.u8(PUT), p);
    else if (op instanceof DeleteRequest d) writeDelete(w.u8(DELETE), d);
  }

  public static Op readOp(ByteReader r) {
    int tag = r.u8();
    return switch (tag) {
      case RANGE -> readRange(r);
      case PUT -> readPut(r);
      case DELETE -> readDelete(r);
      default -> throw new CorruptDataException("bad op tag " + tag);
    };
  }

  public static void writeTxn(ByteWriter w, TxnRequest t) {
    w.varInt(t.compares().size());
    for (Compare c : t.compares()) {
      w.string(c.key()).u8(c.target().ordinal()).u8(c.result().ordinal()).varLong(c.number());
      w.bool(c.value() != null);
      if (c.value() != null) w.bytes(c.value());
    }
    w.varInt(t.success().size());
    for (Op op : t.success()) writeOp(w, op);
    w.varInt(t.failure().size());
    for (Op op : t.failure()) writeOp(w, op);
  }

  public static TxnRequest readTxn(ByteReader r) {
    int n = r.length();
    List<Compare> cmps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = r.string();
      int t = r.u8(), res = r.u8();
      if (t >= TARGETS.length || res >= RESULTS.length) throw new CorruptDataException("bad compare");
      long num = r.varLong();
      byte[] v = r.bool() ? r.bytes() : null;
      cmps.add(new Compare(key, TARGETS[t], RESULTS[res], num, v));
    }
    return new TxnRequest(cmps, readOps(r), readOps(r));
  }

  private static List<Op> readOps(ByteReader r) {
    int n = r.length();
    List<Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) ops.add(readOp(r));
    return ops;
  }

  // --- commands ---------------------------------------------------------------------------------

  public static void writeCommand(ByteWriter w, Command c) {
    if (c instanceof Command.Put p) writePut(w.u8(PUT), p.request());
    else if (c instanceof Command.Delete d) writeDelete(w.u8(DELETE), d.request());
    else if (c instanceof Command.Txn t) writeTxn(w.u8(TXN), t.request());
    else if (c instanceof Command.Compact k) w.u8(COMPACT).varLong(k.revision());
    else if (c instanceof Command.LeaseGrant g) w.u8(LEASE_GRANT).varLong(g.id()).varLong(g.ttlSeconds());
    else if (c instanceof Command.LeaseRevoke v) w.u8(LEASE_REVOKE).varLong(v.id());
    else if (c instanceof Command.LeaseRenew n) w.u8(LEASE_RENEW).varLong(n.id());
    else throw new IllegalArgumentException("unknown command " + c);
  }

  public static Command readCommand(ByteReader r) {
    int tag = r.u8();
    return switch (tag) {
      case PUT -> new Command.Put(readPut(r));
      case DELETE -> new Command.Delete(readDelete(r));
      case TXN -> new Command.Txn(readTxn(r));
      case COMPACT -> new Command.Compact(r.varLong());
      case LEASE_GRANT -> new Command.LeaseGrant(r.varLong(), r.varLong());
      case LEASE_REVOKE -> new Command.LeaseRevoke(r.varLong());
      case LEASE_RENEW -> new Command.LeaseRenew(r.varLong());
      default -> throw new CorruptDataException("bad command tag " + tag);
    };
  }

  /** A log entry's payload: the id of the request that proposed it (0: none) and the command. */
  public static byte[] encodeEntry(long requestId, Command c) {
    ByteWriter w = new ByteWriter(64 + (c instanceof Command.Put p && p.request().value() != null ? p.request().value().length : 64));
    w.varLong(requestId);
    writeCommand(w, c);
    return w.toByteArray();
  }

  /** What {@link #encodeEntry} wrote. */
  public record Proposal(long requestId, Command command) {}

  /**
   * An entry payload for a request whose command body is already encoded (bytes {@code [off,
   * off+len)} of {@code src}, as a client sent them): the request id, the command tag, the body,
   * in one exactly sized array.
   */
  public static byte[] encodeEntry(long requestId, int tag, byte[] src, int off, int len) {
    int idLen = 1;
    for (long v = requestId >>> 7; v != 0; v >>>= 7) idLen++;
    byte[] out = new byte[idLen + 1 + len];
    long v = requestId;
    int p = 0;
    while ((v & ~0x7FL) != 0) {
      out[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[p++] = (byte) v;
    out[p++] = (byte) tag;
    System.arraycopy(src, off, out, p, len);
    return out;
  }

  /** The request id at the start of an entry payload, or 0 if even that does not decode. */
  public static long requestIdOf(byte[] data) {
    try {
      return new ByteReader(data).varLong();
    } catch (CorruptDataException e) {
      return 0;
    }
  }

  public static Proposal decodeEntry(byte[] data) {
    ByteReader r = new ByteReader(data);
    long id = r.varLong();
    Command c = readCommand(r);
    r.expectEnd();
    return new Proposal(id, c);
  }

  // --- responses --------------------------------------------------------------------------------

  public static void writeKv(ByteWriter w, KeyValue kv) {
    w.string(kv.key()).bytes(kv.value()).varLong(kv.createRevision()).varLong(kv.modRevision())
        .varLong(kv.version()).varLong(kv.lease());
  }

  public static KeyValue readKv(ByteReader r) {
    return new KeyValue(r.string(), r.bytes(), r.varLong(), r.varLong(), r.varLong(), r.varLong());
  }

  public static void writeNullableKv(ByteWriter w, KeyValue kv) {
    w.bool(kv != null);
    if (kv != null) writeKv(w, kv);
  }

  public static KeyValue readNullableKv(ByteReader r) {
    return r.bool() ? readKv(r) : null;
  }

  public static void writeKvs(ByteWriter w, List<KeyValue> kvs) {
    w.varInt(kvs.size());
    for (KeyValue kv : kvs) writeKv(w, kv);
  }

  public static List<KeyValue> readKvs(ByteReader r) {
    int n = r.length();
    List<KeyValue> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(readKv(r));
    return out;
  }

  public static void writeRangeResponse(ByteWriter w, RangeResponse r) {
    w.varLong(r.revision()).bool(r.more()).varLong(r.count());
    writeKvs(w, r.kvs());
  }

  public static RangeResponse readRangeResponse(ByteReader r) {
    long rev = r.varLong();
    boolean more = r.bool();
    long count = r.varLong();
    return new RangeResponse(rev, readKvs(r), more, count);
  }

  public static void writePutResponse(ByteWriter w, PutResponse p) {
    w.varLong(p.revision());
    writeNullableKv(w, p.prevKv());
  }

  public static PutResponse readPutResponse(ByteReader r) {
    return new PutResponse(r.varLong(), readNullableKv(r));
  }

  public static void writeDeleteResponse(ByteWriter w, DeleteResponse d) {
    w.varLong(d.revision()).varLong(d.deleted());
    writeKvs(w, d.prevKvs());
  }

  public static DeleteResponse readDeleteResponse(ByteReader r) {
    return new DeleteResponse(r.varLong(), r.varLong(), readKvs(r));
  }

  public static void writeTxnResponse(ByteWriter w, TxnResponse t) {
    w.varLong(t.revision()).bool(t.succeeded()).varInt(t.responses().size());
    for (OpResponse o : t.responses()) {
      if (o instanceof RangeResponse r) writeRangeResponse(w.u8(RANGE), r);
      else if (o instanceof PutResponse p) writePutResponse(w.u8(PUT), p);
      else if (o instanceof DeleteResponse d) writeDeleteResponse(w.u8(DELETE), d);
    }
  }

  public static TxnResponse readTxnResponse(ByteReader r) {
    long rev = r.varLong();
    boolean ok = r.bool();
    int n = r.length();
    List<OpResponse> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int tag = r.u8();
      out.add(switch (tag) {
        case RANGE -> readRangeResponse(r);
        case PUT -> readPutResponse(r);
        case DELETE -> readDeleteResponse(r);
        default -> throw new CorruptDataException("bad op response tag " + tag);
      });
    }
    return new TxnResponse(rev, ok, out);
  }

  public static void writeEvents(ByteWriter w, List<WatchEvent> events) {
    w.varInt(events.size());
    for (WatchEvent e : events) {
      w.u8(e.type().ordinal());
      writeKv(w, e.kv());
      writeNullableKv(w, e.prevKv());
    }
  }

  public static List<WatchEvent> readEvents(ByteReader r) {
    int n = r.length();
    List<WatchEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = r.u8();
      if (t >= EVENT_TYPES.length) throw new CorruptDataException("bad event type " + t);
      out.add(new WatchEvent(EVENT_TYPES[t], readKv(r), readNullableKv(r)));
    }
    return out;
  }
}
