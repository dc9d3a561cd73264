package kubelab.scheduler.framework;

/**
 * The score matrix of one cycle: per Score plugin and feasible node the raw score, the normalized
 * score (after NormalizeScore) and, per node, the weighted total. Buffers are reused across
 * cycles by the scheduling thread (no per-pod allocation); the explanation reads them.
 */
public final class Scores {
  long[][] raw = new long[0][];
  long[][] normalized = new long[0][];
  long[] totals = new long[0];
  NodeInfo[] nodes = new NodeInfo[0];
  boolean[] skipped = new boolean[0];
  int n;
  int plugins;

  void prepare(int plugins, NodeInfo[] nodes, int n) {
    this.plugins = plugins;
    this.n = n;
    this.nodes = nodes;
    if (raw.length < plugins) {
      raw = new long[plugins][];
      normalized = new long[plugins][];
      skipped = new boolean[plugins];
    }
    for (int p = 0; p < plugins; p++) {
      if (raw[p] == null || raw[p].length < n) {
        raw[p] = new long[Math.max(n, 16)];
        normalized[p] = new long[Math.max(n, 16)];
      }
      skipped[p] = false;
    }
    if (totals.length < n) totals = new long[Math.max(n, 16)];
    java.util.Arrays.fill(totals, 0, n, 0L);
  }

  /** Number of scored nodes. */
  public int size() {
    return n;
  }

  public NodeInfo node(int i) {
    return nodes[i];
  }

  /** Plugin {@code p}'s raw score of node {@code i} (index into the framework's Score plugins). */
  public long raw(int p, int i) {
    return raw[p][i];
  }

  public long normalized(int p, int i) {
    return normalized[p][i];
  }

  /** Whether PreScore told plugin {@code p} to skip this pod (its scores are all 0). */
  public boolean skipped(int p) {
    return skipped[p];
  }

  /** Σ weight × normalized score of node {@code i}. */
  public long total(int i) {
    return totals[i];
  }
}
