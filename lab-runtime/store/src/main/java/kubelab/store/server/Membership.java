package kubelab.store.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.raft.ConfChange;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.server.Peers.Peer;

/**
 * Who the members of the cluster are (id, name, address) at one point of the log: the store's
 * side of Raft's configuration, as etcd's membership.RaftCluster is. Raft knows members only by
 * id; names and addresses ride in the context of each CONF_CHANGE entry ({@link #context}).
 *
 * <p>Part of the replicated state machine, so it must come out the same on every member: it
 * starts from the <b>founders</b> (the {@code --peers} the cluster was created with, the same on
 * every founding member, and handed to a member that joins later), and every committed
 * CONF_CHANGE entry is {@link #check checked} and then {@link #apply applied} in log order, by
 * rules that read nothing but this object. A change that fails the check is refused alike on
 * every member, and Raft is not told of it. A snapshot carries the membership at its index
 * ({@link #encode}), so a member restarted from a snapshot, or one that received it from the
 * leader, has it without the entries the snapshot replaced.
 *
 * <p>The founding members enter the way etcd's do: a new cluster's log begins with one ADD_NODE
 * entry per founder, without context ({@code RawNode.bootstrap}); such an entry adds the founder of
 * that id. A data directory from before the log held the membership ({@link #legacy}) starts
 * with the founders already in.
 *
 * <p>Ids are never reused (etcd's rule): a removed id stays in {@link #removed()}, and a new
 * member gets {@link #nextId()}, one more than any id seen. Immutable.
 */
public final class Membership {
  private final Map<Long, Peer> founders;
  private final Map<Long, Peer> members;
  private final Set<Long> removed;

  private Membership(Map<Long, Peer> founders, Map<Long, Peer> members, Set<Long> removed) {
    this.founders = Collections.unmodifiableMap(founders);
    this.members = Collections.unmodifiableMap(members);
    this.removed = Collections.unmodifiableSet(removed);
  }

  /** The membership at index 0 of a cluster founded with {@code founders}: nobody yet (the bootstrap entries add them). */
  public static Membership founding(Peers founders) {
    return new Membership(new TreeMap<>(founders.byId()), new TreeMap<>(), new TreeSet<>());
  }

  /** The membership at index 0 of a cluster whose log has no bootstrap entries: the founders. */
  public static Membership legacy(Peers founders) {
    return new Membership(new TreeMap<>(founders.byId()), new TreeMap<>(founders.byId()), new TreeSet<>());
  }

  /** The current members, by id. */
  public List<Peer> members() {
    return new ArrayList<>(members.values());
  }

  public Peer member(long id) {
    return members.get(id);
  }

  public Peer byName(String name) {
    for (Peer p : members.values()) if (p.name().equals(name)) return p;
    return null;
  }

  public boolean isMember(long id) {
    return members.containsKey(id);
  }

  public Set<Long> removed() {
    return removed;
  }

  public List<Peer> founders() {
    return new ArrayList<>(founders.values());
  }

  /** An id no member ever had. */
  public long nextId() {
    long max = 0;
    for (long id : founders.keySet()) max = Math.max(max, id);
    for (long id : members.keySet()) max = Math.max(max, id);
    for (long id : removed) max = Math.max(max, id);
    return max + 1;
  }

  /**
   * Where to reach each member that may still send or receive: the current members, and founders
   * not removed (they are members as soon as the bootstrap entries are applied).
   */
  public Map<Long, InetSocketAddress> addresses() {
    Map<Long, InetSocketAddress> out = new TreeMap<>();
    founders.forEach((id, p) -> {
      if (!removed.contains(id)) out.put(id, p.address());
    });
    members.forEach((id, p) -> out.put(id, p.address()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Changes

  /** What a member adds to a CONF_CHANGE: the request that proposed it, and the member's name and address. */
  public record Context(long requestId, String name, String address) {}

  private static final int CONTEXT_FORMAT = 1;

  public static byte[] context(long requestId, String name, String hostPort) {
    return new ByteWriter(32 + name.length() + hostPort.length()).u8(CONTEXT_FORMAT).varLong(requestId).string(name).string(hostPort)
        .toByteArray();
  }

  /** The context of a change, or null if it has none (a bootstrap entry). */
  public static Context context(ConfChange cc) {
    if (cc.context().length == 0) return null;
    ByteReader r = new ByteReader(cc.context());
    int f = r.u8();
    if (f != CONTEXT_FORMAT) throw new CorruptDataException("unknown membership context format " + f);
    Context c = new Context(r.varLong(), r.string(), r.string());
    r.expectEnd();
    return c;
  }

  /**
   * Why {@code cc} may not be applied to this membership, or null if it may. Messages follow etcd
   * 3.4's membership errors ("membership: ID exists", ...).
   */
  public String check(ConfChange cc) {
    long id = cc.nodeId();
    Context ctx;
    try {
      ctx = context(cc);
    } catch (CorruptDataException e) {
      return "membership: bad change context: " + e.getMessage();
    }
    switch (cc.type()) {
      case ADD_NODE -> {
        if (id <= 0) return "membership: bad member ID " + id;
        if (removed.contains(id)) return "membership: ID removed";
        if (members.containsKey(id)) return "membership: ID exists";
        if (ctx == null) return founders.containsKey(id) ? null : "membership: bootstrap entry for " + id + ", which is not a founding member";
        if (founders.containsKey(id)) return "membership: ID exists";
        for (Peer p : members.values()) {
          if (p.name().equals(ctx.name())) return "membership: name exists (member " + p.id() + " is " + p.name() + ")";
          if (p.hostPort().equals(ctx.address())) return "membership: peerURL exists (" + ctx.address() + " is " + p.name() + "'s)";
        }
        try {
          Peers.parseHostPort(ctx.address(), "member " + ctx.name());
        } catch (IllegalArgumentException e) {
          return "membership: " + e.getMessage();
        }
        return null;
      }
      case REMOVE_NODE -> {
        if (removed.contains(id)) return "membership: ID removed";
        if (!members.containsKey(id)) return "membership: ID not found";
        if (members.size() == 1) return "membership: cannot remove the last member";
        return null;
      }
      default -> {
        return "membership: learners are not supported by the store";
      }
    }
  }

  /** The membership after {@code cc}, which {@link #check} accepted. */
  public Membership apply(ConfChange cc) {
    Map<Long, Peer> ms = new TreeMap<>(members);
    Set<Long> rm = new TreeSet<>(removed);
    long id = cc.nodeId();
    switch (cc.type()) {
      case ADD_NODE -> {
        Context ctx = context(cc);
        ms.put(id, ctx == null ? founders.get(id) : new Peer(id, ctx.name(), Peers.parseHostPort(ctx.address(), "member " + ctx.name())));
      }
      case REMOVE_NODE -> {
        ms.remove(id);
        rm.add(id);
      }
      default -> throw new IllegalArgumentException("not a checked change: " + cc.type());
    }
    return new Membership(new TreeMap<>(founders), ms, rm);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding (inside snapshots, see StoreSnapshot)

  private static final int FORMAT = 1;

  public byte[] encode() {
    ByteWriter w = new ByteWriter(64 + 32 * (founders.size() + members.size()));
    w.u8(FORMAT);
    writePeers(w, founders.values());
    writePeers(w, members.values());
    w.varInt(removed.size());
    for (long id : removed) w.varLong(id);
    return w.toByteArray();
  }

  public static Membership decode(byte[] data) {
    ByteReader r = new ByteReader(data);
    int f = r.u8();
    if (f != FORMAT) throw new CorruptDataException("unknown membership format " + f);
    Map<Long, Peer> fs = readPeers(r);
    Map<Long, Peer> ms = readPeers(r);
    Set<Long> rm = new TreeSet<>();
    int n = r.length();
    for (int i = 0; i < n; i++) rm.add(r.varLong());
    r.expectEnd();
    return new Membership(fs, ms, rm);
  }

  private static void writePeers(ByteWriter w, java.util.Collection<Peer> ps) {
    w.varInt(ps.size());
    for (Peer p : ps) w.varLong(p.id()).string(p.name()).string(p.hostPort());
  }

  private static Map<Long, Peer> readPeers(ByteReader r) {
    Map<Long, Peer> out = new TreeMap<>();
    int n = r.length();
    for (int i = 0; i < n; i++) {
      long id = r.varLong();
      String name = r.string();
      out.put(id, new Peer(id, name, Peers.parseHostPort(r.string(), "member " + name)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Membership m && founders.equals(m.founders) && members.equals(m.members) && removed.equals(m.removed);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  /** {@code s1=HOST:PORT,s2=HOST:PORT} of the current members. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Peer p : members.values()) {
      if (sb.length() > 0) sb.append(',');
      sb.append(p.name()).append('=').append(p.hostPort());
    }
    return sb.toString();
  }
}
