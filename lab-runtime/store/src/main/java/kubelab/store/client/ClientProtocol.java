package kubelab.store.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.store.KvStore.LeaseStatus;
import kubelab.store.StoreException;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.server.LogView.LogEntry;
import kubelab.store.server.LogView.LogPage;
import kubelab.store.server.MemberStatus;
import kubelab.store.server.MembershipChange;
import kubelab.store.server.Peers;
import kubelab.store.server.Peers.Peer;

/**
 * The client protocol on a member's port (after the CLIENT hello): etcd's KV, Watch, Lease and
 * Maintenance services as binary frames. Requests and responses are matched by a request id, so a
 * connection carries many requests at once (pipelining); responses come in completion order.
 *
 * <pre>
 *   request:  u8 op, varint request id, op-specific body (the KvStore records, see CommandCodec)
 *   response: u8 OK,   varint request id, body
 *             u8 ERR,  varint request id, u8 code, string message, varint revision
 *             u8 EVENTS | PROGRESS | COMPACTED | WATCH_ERR, varint watch id (= the id of its WATCH request), body
 * </pre>
 */
public final class ClientProtocol {
  private ClientProtocol() {}

  // Requests (values are the wire format: never renumber).
  public static final int RANGE = 1, PUT = 2, DELETE = 3, TXN = 4, COMPACT = 5;
  public static final int LEASE_GRANT = 6, LEASE_REVOKE = 7, LEASE_KEEPALIVE = 8, LEASE_TTL = 9, LEASES = 10;
  public static final int WATCH = 20, WATCH_CANCEL = 21, WATCH_PROGRESS = 22;
  public static final int STATUS = 30, MEMBERS = 31, CLUSTER = 32, MEMBER_ADD = 33, MEMBER_REMOVE = 34, LOG = 35;

  // Responses.
  public static final int OK = 1, ERR = 2, EVENTS = 3, PROGRESS = 4, COMPACTED = 5, WATCH_ERR = 6;

  private static final StoreException.Code[] CODES = StoreException.Code.values();

  public static void writeError(ByteWriter w, long id, StoreException e) {
    w.u8(ERR).varLong(id).u8(e.code().ordinal()).string(String.valueOf(e.getMessage())).varLong(e.revision());
  }

  public static StoreException readError(ByteReader r) {
    int c = r.u8();
    if (c >= CODES.length) throw new CorruptDataException("bad error code " + c);
    String msg = r.string();
    long rev = r.varLong();
    return new StoreException(CODES[c], msg, rev, null);
  }

  public static void writeLeaseStatus(ByteWriter w, LeaseStatus s) {
    w.varLong(s.id()).varLong(s.ttlSeconds() + 1).varLong(s.grantedTtlSeconds()).varInt(s.keys().size());
    for (String k : s.keys()) w.string(k);
  }

  public static LeaseStatus readLeaseStatus(ByteReader r) {
    long id = r.varLong();
    long ttl = r.varLong() - 1;
    long granted = r.varLong();
    int n = r.length();
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) keys.add(r.string());
    return new LeaseStatus(id, ttl, granted, keys);
  }

  public static void writeStatus(ByteWriter w, MemberStatus s) {
    w.string(s.name()).varLong(s.id()).string(s.clusterId()).string(s.role()).varLong(s.term()).varLong(s.leader())
        .varLong(s.commit()).varLong(s.applied()).varLong(s.lastIndex()).varLong(s.revision()).varLong(s.compactRevision())
        .varLong(s.keys()).varInt(s.progress().size());
    s.progress().forEach((id, match) -> w.varLong(id).varLong(match));
    w.varLong(s.fsyncs()).varLong(Math.round(s.fsyncMeanMillis() * 1000));
    w.varInt(s.voters().size());
    for (long v : s.voters()) w.varLong(v);
  }

  public static MemberStatus readStatus(ByteReader r) {
    String name = r.string();
    long id = r.varLong();
    String cluster = r.string();
    String role = r.string();
    long term = r.varLong(), leader = r.varLong(), commit = r.varLong(), applied = r.varLong(), last = r.varLong();
    long rev = r.varLong(), compact = r.varLong(), keys = r.varLong();
    int n = r.length();
    Map<Long, Long> progress = new TreeMap<>();
    for (int i = 0; i < n; i++) progress.put(r.varLong(), r.varLong());
    long fsyncs = r.varLong();
    double mean = r.varLong() / 1000.0;
    List<Long> voters = new ArrayList<>();
    if (r.remaining() > 0) {
      int nv = r.length();
      for (int i = 0; i < nv; i++) voters.add(r.varLong());
    }
    return new MemberStatus(name, id, cluster, role, term, leader, commit, applied, last, rev, compact, keys, progress, fsyncs, mean, voters);
  }

  /** A member as {@code members} lists it. */
  public record MemberInfo(long id, String name, String address) {}

  public static void writeMembers(ByteWriter w, List<MemberInfo> ms) {
    w.varInt(ms.size());
    for (MemberInfo m : ms) w.varLong(m.id()).string(m.name()).string(m.address());
  }

  public static List<MemberInfo> readMembers(ByteReader r) {
    int n = r.length();
    List<MemberInfo> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(new MemberInfo(r.varLong(), r.string(), r.string()));
    return out;
  }

  public static List<MemberInfo> infos(List<Peer> ps) {
    List<MemberInfo> out = new ArrayList<>(ps.size());
    for (Peer p : ps) out.add(new MemberInfo(p.id(), p.name(), p.hostPort()));
    return out;
  }

  /**
   * What a member that joins needs to know (etcd's GetClusterFromRemotePeers): the cluster id,
   * whether its log begins without bootstrap entries, the founders (the membership at index 0) and
   * the members now.
   */
  public record ClusterInfo(String clusterId, boolean peersAtIndexZero, List<MemberInfo> founders, List<MemberInfo> members) {}

  public static void writeCluster(ByteWriter w, ClusterInfo c) {
    w.string(c.clusterId()).bool(c.peersAtIndexZero());
    writeMembers(w, c.founders());
    writeMembers(w, c.members());
  }

  public static ClusterInfo readCluster(ByteReader r) {
    return new ClusterInfo(r.string(), r.bool(), readMembers(r), readMembers(r));
  }

  public static void writeChange(ByteWriter w, MembershipChange c) {
    Peer p = c.member();
    w.varLong(p.id()).string(p.name()).string(p.hostPort()).string(c.clusterId());
    writeMembers(w, infos(c.members()));
  }

  public static MembershipChange readChange(ByteReader r) {
    Peer p = peer(r.varLong(), r.string(), r.string());
    String cluster = r.string();
    List<Peer> ms = new ArrayList<>();
    for (MemberInfo m : readMembers(r)) ms.add(peer(m.id(), m.name(), m.address()));
    return new MembershipChange(p, ms, cluster);
  }

  private static Peer peer(long id, String name, String address) {
    return new Peer(id, name, Peers.parseHostPort(address, "member " + name));
  }

  public static void writeLog(ByteWriter w, LogPage p) {
    w.string(p.member()).varLong(p.memberId()).varLong(p.firstIndex()).varLong(p.lastIndex()).varLong(p.commit()).varLong(p.applied())
        .varLong(p.snapshotIndex()).varLong(p.snapshotTerm()).varInt(p.entries().size());
    for (LogEntry e : p.entries()) {
      w.varLong(e.index()).varLong(e.term()).string(e.type()).varInt(e.bytes()).nullableString(e.command()).varLong(e.revision() + 1);
    }
  }

  public static LogPage readLog(ByteReader r) {
    String member = r.string();
    long id = r.varLong(), first = r.varLong(), last = r.varLong(), commit = r.varLong(), applied = r.varLong();
    long snap = r.varLong(), snapTerm = r.varLong();
    int n = r.length();
    List<LogEntry> es = new ArrayList<>(n);
    for (int i = 0; i < n; i++) es.add(new LogEntry(r.varLong(), r.varLong(), r.string(), r.varInt(), r.nullableString(), r.varLong() - 1));
    return new LogPage(member, id, first, last, commit, applied, snap, snapTerm, es);
  }
}
