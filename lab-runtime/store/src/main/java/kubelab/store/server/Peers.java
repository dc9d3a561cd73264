package kubelab.store.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The members of a cluster, as {@code --peers s1=HOST:PORT,s2=HOST:PORT,s3=HOST:PORT} names them
 * (etcd's --initial-cluster).
 *
 * <p>Member ids are the 1-based positions of the names in sorted order (s1 → 1, s2 → 2, ...), so
 * they are short enough to type in the REPL ({@code raft partition 1 | 2 3}) and do not depend on
 * the order in which a member was given the list. The cluster id is a hash of the sorted
 * name=address pairs (etcd derives it from --initial-cluster the same way): members started with
 * different lists get different cluster ids and refuse each other's connections, and a data
 * directory remembers the cluster it belongs to.
 */
public final class Peers {
  public record Peer(long id, String name, InetSocketAddress address) {
    public String hostPort() {
      return address.getHostString() + ":" + address.getPort();
    }
  }

  private final Map<Long, Peer> byId;
  private final long clusterId;

  private Peers(List<Peer> peers) {
    Map<Long, Peer> m = new LinkedHashMap<>();
    for (Peer p : peers) m.put(p.id(), p);
    byId = Collections.unmodifiableMap(m);
    StringBuilder sb = new StringBuilder();
    for (Peer p : peers) sb.append(p.name()).append('=').append(p.hostPort()).append(',');
    clusterId = hash(sb.toString());
  }

  /** Members named {@code name → address}; ids by sorted name. */
  public static Peers of(Map<String, InetSocketAddress> members) {
    if (members.isEmpty()) throw new IllegalArgumentException("the peer list is empty: give at least one NAME=HOST:PORT");
    List<Peer> out = new ArrayList<>();
    long id = 1;
    for (Map.Entry<String, InetSocketAddress> e : new TreeMap<>(members).entrySet()) {
      out.add(new Peer(id++, e.getKey(), e.getValue()));
    }
    return new Peers(out);
  }

  /**
   * Parses {@code s1=HOST:PORT,s2=HOST:PORT}. Every mistake is a one-line message that says which
   * part is wrong.
   */
  public static Peers parse(String spec) {
    if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--peers is empty: expected NAME=HOST:PORT,NAME=HOST:PORT,...");
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    Map<String, String> seenAddr = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      part = part.trim();
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) throw new IllegalArgumentException("bad peer '" + part + "' in --peers: expected NAME=HOST:PORT");
      String name = part.substring(0, eq);
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new IllegalArgumentException("bad member name '" + name + "' in --peers: use letters, digits, '.', '_' and '-'");
      InetSocketAddress addr = parseHostPort(part.substring(eq + 1), "peer " + name);
      if (m.put(name, addr) != null) throw new IllegalArgumentException("member " + name + " appears twice in --peers");
      String hp = addr.getHostString() + ":" + addr.getPort();
      String other = seenAddr.put(hp, name);
      if (other != null) throw new IllegalArgumentException("members " + other + " and " + name + " have the same address " + hp + " in --peers");
    }
    return of(m);
  }

  /** Parses {@code HOST:PORT} (port 1–65535; 0 only where a test asks for any free port). */
  public static InetSocketAddress parseHostPort(String s, String what) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("bad address '" + s + "' for " + what + ": expected HOST:PORT");
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + s + "' for " + what + ": not a number");
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port " + port + " for " + what + ": must be 1-65535");
    return InetSocketAddress.createUnresolved(host, port);
  }

  public Map<Long, Peer> byId() {
    return byId;
  }

  public Peer byName(String name) {
    for (Peer p : byId.values()) if (p.name().equals(name)) return p;
    return null;
  }

  public Peer get(long id) {
    return byId.get(id);
  }

  public List<Long> ids() {
    return List.copyOf(byId.keySet());
  }

  public long clusterId() {
    return clusterId;
  }

  public String clusterIdHex() {
    return String.format("%016x", clusterId);
  }

  /** Resolved addresses by id, for the TCP transport. */
  public Map<Long, InetSocketAddress> addresses() {
    Map<Long, InetSocketAddress> out = new LinkedHashMap<>();
    byId.forEach((id, p) -> out.put(id, new InetSocketAddress(p.address().getHostString(), p.address().getPort())));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Peer p : byId.values()) {
      if (sb.length() > 0) sb.append(',');
      sb.append(p.name()).append('=').append(p.hostPort());
    }
    return sb.toString();
  }

  private static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xFF);
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
