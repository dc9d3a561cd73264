package kubelab.store.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kubelab.raft.ConfChange;
import kubelab.raft.Entry;
import kubelab.raft.Storage;
import kubelab.store.KvStore;
import kubelab.store.KvStore.Compare;
import kubelab.store.KvStore.Op;
import kubelab.store.Params;
import kubelab.store.codec.CommandCodec;
import kubelab.store.mvcc.Command;

/**
 * A member's Raft log as {@code lab store log} shows it (what etcd-dump-logs prints for a data
 * directory, served live by the member): per entry its index, term, type and size, and with
 * {@code decode} the command in words ({@code PUT /registry/configmaps/default/x (312 bytes)},
 * {@code TXN if mod_revision(/k) = 42 then PUT /k else RANGE /k}, {@code LEASE_REVOKE 694d... (expired)},
 * {@code CONF_CHANGE add s4 (id 4, 127.0.0.1:4444)}) and the revision the keyspace reached by
 * applying it, while the member still remembers it.
 *
 * <p>Read-only: it reads the member's in-memory log (the entries since the last compaction of
 * the log; older ones are in the snapshot). Thread-safe (the log storage is).
 */
public final class LogView {
  private LogView() {}

  /**
   * One entry. {@code command} is null unless decoding was asked for; {@code revision} is the
   * keyspace revision the entry created, -1 if it made none or the member no longer remembers it.
   */
  public record LogEntry(long index, long term, String type, int bytes, String command, long revision) {}

  /**
   * A page of one member's log.
   *
   * @param firstIndex    the first entry still in the log (entries before it are in the snapshot)
   * @param snapshotIndex the index of the newest snapshot (0: none)
   */
  public record LogPage(String member, long memberId, long firstIndex, long lastIndex, long commit, long applied,
                        long snapshotIndex, long snapshotTerm, List<LogEntry> entries) {}

  /**
   * Entries from {@code from} (0: the last {@code limit}), at most {@code limit} (capped at
   * {@link Params#LOG_PAGE_MAX}).
   */
  static LogPage page(Member m, long from, int limit, boolean decode) {
    if (limit <= 0 || limit > Params.LOG_PAGE_MAX) limit = Params.LOG_PAGE_MAX;
    MemberStatus st = m.status();
    long first = m.storage.firstIndex();
    long last = m.storage.lastIndex();
    long lo = from <= 0 ? Math.max(first, last - limit + 1) : Math.max(from, first);
    long hi = Math.min(last + 1, lo + limit);
    List<Entry> es = new ArrayList<>();
    if (lo < hi) {
      try {
        es = m.storage.entries(lo, hi, Long.MAX_VALUE);
      } catch (Storage.CompactedException | IllegalArgumentException e) {
        es = List.of(); // compacted or truncated between the two reads: the caller asks again
      }
    }
    Membership ms = m.membership();
    List<LogEntry> out = new ArrayList<>(es.size());
    for (Entry e : es) {
      // The revision this entry created: known if the member remembers the revision before and
      // after it, and only if it changed (a lease grant, a failed txn or a conf change make none).
      long after = m.applier.revisionAfter(e.index());
      long before = m.applier.revisionAfter(e.index() - 1);
      long rev = after >= 0 && before >= 0 && after > before ? after : -1;
      out.add(new LogEntry(e.index(), e.term(), e.type().name(), e.data().length, decode ? describe(e, ms) : null, rev));
    }
    var snap = m.storage.snapshot();
    return new LogPage(m.name(), m.id(), first, last, st.commit(), st.applied(), snap.index(), snap.term(), out);
  }

  /** An entry in words. Never throws: an entry that does not decode says so. */
  public static String describe(Entry e, Membership ms) {
    try {
      if (e.type() == Entry.Type.CONF_CHANGE) return "CONF_CHANGE " + confChange(ConfChange.decode(e.data()), ms);
      if (e.data().length == 0) return "EMPTY (a new leader's first entry of its term)";
      CommandCodec.Proposal p = CommandCodec.decodeEntry(e.data());
      return command(p.command(), p.requestId() == 0);
    } catch (RuntimeException ex) {
      return "(does not decode: " + ex.getMessage() + ")";
    }
  }

  private static String confChange(ConfChange cc, Membership ms) {
    Membership.Context ctx = Membership.context(cc);
    String what = switch (cc.type()) {
      case ADD_NODE -> "add";
      case REMOVE_NODE -> "remove";
      case ADD_LEARNER -> "add-learner";
    };
    if (ctx == null) {
      Peers.Peer f = null;
      for (Peers.Peer p : ms.founders()) if (p.id() == cc.nodeId()) f = p;
      return what + " " + (f == null ? "member" : f.name()) + " (id " + cc.nodeId() + ", founding member)";
    }
    return what + " " + ctx.name() + " (id " + cc.nodeId() + (cc.type() == ConfChange.Type.REMOVE_NODE ? "" : ", " + ctx.address()) + ")";
  }

  private static String command(Command c, boolean byLeader) {
    if (c instanceof Command.Put p) return put(p.request());
    if (c instanceof Command.Delete d) return delete(d.request());
    if (c instanceof Command.Txn t) return txn(t.request());
    if (c instanceof Command.Compact k) return "COMPACT revision " + k.revision() + (byLeader ? " (auto-compaction)" : "");
    if (c instanceof Command.LeaseGrant g) return "LEASE_GRANT " + Long.toHexString(g.id()) + " ttl " + g.ttlSeconds() + "s";
    if (c instanceof Command.LeaseRevoke v) return "LEASE_REVOKE " + Long.toHexString(v.id()) + (byLeader ? " (expired: proposed by the leader)" : "");
    if (c instanceof Command.LeaseRenew n) return "LEASE_KEEPALIVE " + Long.toHexString(n.id());
    return c.toString();
  }

  private static String put(KvStore.PutRequest p) {
    return "PUT " + p.key() + " (" + (p.value() == null ? 0 : p.value().length) + " bytes)" + (p.lease() != 0 ? " lease " + Long.toHexString(p.lease()) : "");
  }

  private static String range(String verb, String key, String end) {
    if (end == null) return verb + " " + key;
    if (end.equals(KvStore.prefixEnd(key))) return verb + " --prefix " + key;
    return verb + " [" + key + ", " + (end.equals("\0") ? "end" : end) + ")";
  }

  private static String delete(KvStore.DeleteRequest d) {
    return range("DELETE", d.key(), d.rangeEnd());
  }

  private static String op(Op op) {
    if (op instanceof KvStore.PutRequest p) return put(p);
    if (op instanceof KvStore.DeleteRequest d) return delete(d);
    if (op instanceof KvStore.RangeRequest r) return range("RANGE", r.key(), r.rangeEnd());
    return String.valueOf(op);
  }

  private static String txn(KvStore.TxnRequest t) {
    StringBuilder sb = new StringBuilder("TXN");
    if (!t.compares().isEmpty()) {
      sb.append(" if ");
      for (int i = 0; i < t.compares().size(); i++) sb.append(i == 0 ? "" : " and ").append(compare(t.compares().get(i)));
    }
    sb.append(" then ").append(ops(t.success()));
    if (!t.failure().isEmpty()) sb.append(" else ").append(ops(t.failure()));
    return sb.toString();
  }

  private static String ops(List<Op> ops) {
    if (ops.isEmpty()) return "nothing";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) sb.append(i == 0 ? "" : "; ").append(op(ops.get(i)));
    return sb.toString();
  }

  private static String compare(Compare c) {
    String target = switch (c.target()) {
      case VERSION -> "version";
      case CREATE -> "create_revision";
      case MOD -> "mod_revision";
      case VALUE -> "value";
      case LEASE -> "lease";
    };
    String rel = switch (c.result()) {
      case EQUAL -> "=";
      case NOT_EQUAL -> "!=";
      case GREATER -> ">";
      case LESS -> "<";
    };
    String rhs;
    if (c.target() == Compare.Target.VALUE) {
      String v = new String(c.value() == null ? new byte[0] : c.value(), StandardCharsets.UTF_8);
      rhs = v.length() <= 24 && v.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F) ? "\"" + v + "\"" : "(" + (c.value() == null ? 0 : c.value().length) + " bytes)";
    } else {
      rhs = String.valueOf(c.number());
    }
    return target + "(" + c.key() + ") " + rel + " " + rhs;
  }
}
