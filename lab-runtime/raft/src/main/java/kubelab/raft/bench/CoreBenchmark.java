package kubelab.raft.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import kubelab.raft.Config;
import kubelab.raft.Entry;
import kubelab.raft.MemoryStorage;
import kubelab.raft.Message;
import kubelab.raft.RawNode;
import kubelab.raft.Ready;

/**
 * The Raft core alone, in memory: N nodes in one thread, messages handed over directly, storage
 * in {@link MemoryStorage}, no fsync, no network, no state machine (applying an entry is counting
 * it). It measures what the core itself costs per committed entry, which is the ceiling for the
 * store above it (issue 3's goal: ≥ 200k committed ops/s with 3 nodes).
 *
 * <p>Two figures:
 * <ul>
 *   <li>{@link #throughput}: the leader takes proposals in batches (as the store's driver does:
 *       many proposals between two Readys) and keeps a few batches in flight; committed entries
 *       per second of wall time.
 *   <li>{@link #latency}: one proposal at a time, each driven until the leader applies it; the
 *       p50 and p99 of that time (the core's share of an unbatched write's latency).
 * </ul>
 * Reads the wall clock, so it is the one part of kubelab.raft outside the purity test. Not
 * safe for concurrent use; run one at a time (a benchmark on a shared machine is noisy anyway).
 */
public final class CoreBenchmark {
  /**
   * @param opsPerSecond committed (and applied on the leader) entries per second
   * @param p50Micros    for latency runs: median propose-to-apply time; 0 for throughput runs
   * @param p99Micros    for latency runs: 99th percentile; 0 for throughput runs
   */
  public record Result(String name, int nodes, int batch, int valueBytes, long ops, double seconds,
                       double opsPerSecond, double p50Micros, double p99Micros) {
    public String line() {
      if (p50Micros > 0) {
        return String.format(Locale.ROOT, "%-34s %d nodes, %,d ops of %d B: p50 %.1f µs, p99 %.1f µs (%,.0f ops/s)",
            name, nodes, ops, valueBytes, p50Micros, p99Micros, opsPerSecond);
      }
      return String.format(Locale.ROOT, "%-34s %d nodes, %,d ops of %d B, batch %d: %,.0f committed ops/s",
          name, nodes, ops, valueBytes, batch, opsPerSecond);
    }
  }

  private final RawNode[] nodes;
  private final MemoryStorage[] storages;
  private final List<ArrayDeque<Message>> inbox = new ArrayList<>();
  private long leaderApplied;
  private long compactedTo;

  private CoreBenchmark(int n) {
    nodes = new RawNode[n];
    storages = new MemoryStorage[n];
    long[] peers = new long[n];
    for (int i = 0; i < n; i++) peers[i] = i + 1;
    for (int i = 0; i < n; i++) {
      storages[i] = new MemoryStorage();
      nodes[i] = RawNode.create(Config.builder(i + 1).peers(peers).build(), storages[i]);
      inbox.add(new ArrayDeque<>());
    }
    nodes[0].campaign();
    while (pump()) {
      // elect node 1
    }
    if (nodes[0].status().role() != Ready.Role.LEADER) throw new IllegalStateException("benchmark: node 1 did not become leader");
  }

  /** One round: every node handles its Ready (persist, send, apply, advance), then every message is delivered. */
  private boolean pump() {
    boolean any = false;
    for (int i = 0; i < nodes.length; i++) {
      RawNode n = nodes[i];
      while (n.hasReady()) {
        any = true;
        Ready rd = n.ready();
        if (!rd.snapshot().isEmpty()) storages[i].applySnapshot(rd.snapshot());
        storages[i].append(rd.entries());
        if (rd.hardState() != null) storages[i].setHardState(rd.hardState());
        for (Message m : rd.messages()) inbox.get((int) m.to() - 1).add(m);
        if (i == 0 && !rd.committedEntries().isEmpty()) {
          leaderApplied = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
        }
        n.advance(rd);
      }
    }
    for (int i = 0; i < nodes.length; i++) {
      ArrayDeque<Message> q = inbox.get(i);
      Message m;
      while ((m = q.poll()) != null) {
        nodes[i].step(m);
        any = true;
      }
    }
    maybeCompact();
    return any;
  }

  /** Keeps memory bounded on long runs: every node snapshots and compacts far behind the leader's applied index. */
  private void maybeCompact() {
    long to = leaderApplied - 10_000;
    if (to - compactedTo < 200_000) return;
    for (int i = 0; i < nodes.length; i++) {
      long applied = nodes[i].status().applied();
      long at = Math.min(to, applied);
      if (at > storages[i].snapshot().index() && at >= storages[i].firstIndex()) {
        storages[i].createSnapshot(at, nodes[i].status().confState(), null);
        storages[i].compact(at);
      }
    }
    compactedTo = to;
  }

  /**
   * Committed ops/s with {@code batch} proposals per round and up to {@code window} batches in
   * flight.
   */
  public static Result throughput(int n, long ops, int batch, int valueBytes) {
    CoreBenchmark b = new CoreBenchmark(n);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    int window = 4;
    long base = b.nodes[0].status().lastIndex();
    long target = base + ops;
    long proposed = base;
    long t0 = System.nanoTime();
    while (b.leaderApplied < target) {
      while (proposed < target && proposed - b.leaderApplied < (long) batch * window) {
        int k = (int) Math.min(batch, target - proposed);
        for (int i = 0; i < k; i++) b.nodes[0].propose(value);
        proposed += k;
      }
      b.pump();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    return new Result("core throughput (batched)", n, batch, valueBytes, ops, s, ops / s, 0, 0);
  }

  /** One proposal at a time, driven until the leader applies it. */
  public static Result latency(int n, int ops, int valueBytes) {
    CoreBenchmark b = new CoreBenchmark(n);
    byte[] value = new byte[valueBytes];
    long[] nanos = new long[ops];
    long t0 = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      long start = System.nanoTime();
      long want = b.nodes[0].status().lastIndex() + 1;
      b.nodes[0].propose(value);
      while (b.leaderApplied < want) b.pump();
      nanos[i] = System.nanoTime() - start;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(nanos);
    return new Result("core latency (one at a time)", n, 1, valueBytes, ops, s, ops / s,
        nanos[ops / 2] / 1000.0, nanos[Math.min(ops - 1, (int) (ops * 0.99))] / 1000.0);
  }

  /** The figures {@code lab bench store} prints for the core: warm-up, then throughput and latency, 3 nodes. */
  public static List<Result> standard() {
    throughput(3, 300_000, 256, 256); // warm-up: let the JIT compile the hot paths
    latency(3, 20_000, 256);
    List<Result> out = new ArrayList<>();
    out.add(throughput(3, 2_000_000, 256, 256));
    out.add(throughput(3, 1_000_000, 16, 256));
    out.add(latency(3, 50_000, 256));
    return out;
  }

  /** {@code java -cp ... kubelab.raft.bench.CoreBenchmark}: prints the standard figures. */
  public static void main(String[] args) {
    for (Result r : standard()) System.out.println(r.line());
  }
}
