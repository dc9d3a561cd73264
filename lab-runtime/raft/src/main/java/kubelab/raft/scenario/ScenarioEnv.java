package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kubelab.raft.Config;
import kubelab.raft.ConfChange;
import kubelab.raft.Entry;
import kubelab.raft.Message;
import kubelab.raft.MemoryStorage;
import kubelab.raft.RawNode;
import kubelab.raft.ReadState;
import kubelab.raft.Ready;

/**
 * A whole Raft cluster in one thread, for the scenario scripts, the REPL's {@code raft} verbs and
 * tests: every node is a {@link RawNode} over a {@link MemoryStorage} that plays the part of its
 * disk, and the network is a list of messages in flight that a command delivers, drops or
 * partitions. Nothing happens unless a command makes it happen: ticks, deliveries and Ready
 * handling are all explicit, so a script's output is the same every time.
 *
 * <p>Each node's Raft events ("2 became leader at term 3") and the driver's own lines ("2 applied
 * 1/3 v1") go to {@link #out}, which the running command returns.
 */
public final class ScenarioEnv {
  /** One member: its node, its disk, and what it has applied. */
  public static final class Node {
    public final long id;
    public final MemoryStorage storage;
    public Config config;
    public RawNode raw; // null while crashed
    public final List<Entry> applied = new ArrayList<>();

    Node(long id, MemoryStorage storage, Config config) {
      this.id = id;
      this.storage = storage;
      this.config = config;
    }

    public boolean crashed() {
      return raw == null;
    }
  }

  public final TreeMap<Long, Node> nodes = new TreeMap<>();
  /** Messages sent and not yet delivered, oldest first. */
  public final List<Message> inflight = new ArrayList<>();
  /** Partition group of each node; empty when the network is whole. */
  public final Map<Long, Integer> groups = new TreeMap<>();
  /** Output of the command being run. */
  public final StringBuilder out = new StringBuilder();

  public void println(String line) {
    out.append(line).append('\n');
  }

  /** Takes (and clears) the output collected so far. */
  public String takeOutput() {
    String s = out.toString();
    out.setLength(0);
    return s;
  }

  public Node node(long id) {
    Node n = nodes.get(id);
    if (n == null) throw new IllegalArgumentException("no node " + id + " (nodes: " + nodes.keySet() + ")");
    return n;
  }

  public Node running(long id) {
    Node n = node(id);
    if (n.crashed()) throw new IllegalArgumentException("node " + id + " is crashed; restart it first");
    return n;
  }

  /** Adds a node with the given config; its random generator is seeded with its id (repeatable). */
  public Node addNode(Config.Builder config) {
    Config c = config.random(new SplittableRandom(config.build().id()))
        .logger(this::println).build();
    Node n = new Node(c.id(), new MemoryStorage(), c);
    nodes.put(n.id, n);
    n.raw = RawNode.create(c, n.storage);
    return n;
  }

  /** Simulates a crash: the node's memory (unstable entries, volatile state) is gone; its disk stays. */
  public void crash(long id) {
    Node n = running(id);
    n.raw = null;
    inflight.removeIf(m -> m.to() == id);
    println(id + " crashed");
  }

  /** Restarts a crashed node from what it persisted; the state machine is rebuilt by re-applying. */
  public void restart(long id) {
    Node n = node(id);
    if (!n.crashed()) throw new IllegalArgumentException("node " + id + " is running; crash it first");
    n.applied.clear();
    long snap = n.storage.snapshot().index();
    n.config = n.config.toBuilder().applied(snap).build();
    n.raw = RawNode.create(n.config, n.storage);
    println(id + " restarted");
  }

  /** Whether a message from {@code from} can reach {@code to} now. */
  public boolean connected(long from, long to) {
    if (groups.isEmpty()) return true;
    return groups.getOrDefault(from, -1).equals(groups.getOrDefault(to, -2));
  }

  /**
   * Step 1–5 of the driver loop for one node: persist, send (into {@link #inflight}), apply,
   * advance. Returns false if it had nothing ready.
   */
  public boolean processReady(Node n, boolean verbose) {
    if (n.crashed() || !n.raw.hasReady()) return false;
    Ready rd = n.raw.ready();
    if (verbose) printReady(n, rd);
    // 1. persist
    if (!rd.snapshot().isEmpty()) n.storage.applySnapshot(rd.snapshot());
    n.storage.append(rd.entries());
    if (rd.hardState() != null) n.storage.setHardState(rd.hardState());
    // 2. send
    inflight.addAll(rd.messages());
    // 3. apply
    if (!rd.snapshot().isEmpty()) {
      n.applied.clear();
      println(n.id + " applied snapshot " + rd.snapshot().term() + "/" + rd.snapshot().index());
    }
    if (!rd.committedEntries().isEmpty()) {
      for (Entry e : rd.committedEntries()) {
        if (e.type() == Entry.Type.CONF_CHANGE) n.raw.applyConfChange(ConfChange.decode(e.data()));
        n.applied.add(e);
      }
      println(n.id + " applied " + Format.entries(rd.committedEntries()).replaceAll("^\\[|\\]$", ""));
    }
    for (ReadState rs : rd.readStates()) {
      println(n.id + " read-index " + Format.bytes(rs.requestCtx()) + " is safe to serve at index " + rs.index());
    }
    // 4. advance
    n.raw.advance(rd);
    return true;
  }

  private void printReady(Node n, Ready rd) {
    if (rd.softState() != null) println(n.id + " ready: role=" + rd.softState().role().name().toLowerCase() + " lead=" + rd.softState().leader());
    if (rd.hardState() != null) println(n.id + " ready: persist term=" + rd.hardState().term() + " vote=" + rd.hardState().vote() + " commit=" + rd.hardState().commit());
    if (!rd.entries().isEmpty()) println(n.id + " ready: persist entries " + Format.entries(rd.entries()));
    if (!rd.snapshot().isEmpty()) println(n.id + " ready: persist snapshot " + rd.snapshot().term() + "/" + rd.snapshot().index());
    for (Message m : rd.messages()) println(n.id + " ready: send " + Format.message(m));
  }

  /**
   * Delivers the messages in flight now (not those their delivery produces) to the nodes in
   * {@code to} (all if empty). Messages across a partition, or to a crashed node, are dropped.
   */
  public int deliver(List<Long> to, boolean verbose) {
    List<Message> batch = new ArrayList<>();
    for (Iterator<Message> it = inflight.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (to.isEmpty() || to.contains(m.to())) {
        batch.add(m);
        it.remove();
      }
    }
    int delivered = 0;
    for (Message m : batch) {
      Node n = nodes.get(m.to());
      if (n == null || n.crashed() || !connected(m.from(), m.to())) {
        if (verbose) println("dropped " + Format.message(m));
        continue;
      }
      if (verbose) println("deliver " + Format.message(m));
      n.raw.step(m);
      delivered++;
    }
    return delivered;
  }

  /**
   * Handles Readys and delivers messages until the cluster is quiet (no ticks happen, so it
   * always ends). {@code only} restricts it to some nodes (others neither process nor receive).
   */
  public void stabilize(List<Long> only, boolean verbose) {
    for (int round = 0; ; round++) {
      if (round > 10_000) throw new IllegalStateException("stabilize: the cluster did not become quiet after 10000 rounds");
      boolean progressed = false;
      for (Node n : nodes.values()) {
        if (!only.isEmpty() && !only.contains(n.id)) continue;
        while (processReady(n, verbose)) progressed = true;
      }
      boolean pending = inflight.stream().anyMatch(m -> only.isEmpty() || only.contains(m.to()));
      if (pending) {
        deliver(only, verbose);
        progressed = true;
      }
      if (!progressed) return;
    }
  }

  /** Ticks node {@code id} {@code n} times, handling nothing else. */
  public void tick(long id, int n) {
    Node node = running(id);
    for (int i = 0; i < n; i++) node.raw.tick();
  }
}
