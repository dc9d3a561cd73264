package kubelab.scheduler.framework;

/**
 * The scores one Score plugin gave the feasible nodes of a cycle, as parallel arrays (no object per
 * node). NormalizeScore rewrites {@link #set} in place. Reused across cycles by the framework.
 */
public final class NodeScoreList {
  private NodeInfo[] nodes;
  private long[] scores;
  private int size;

  public NodeScoreList(NodeInfo[] nodes, long[] scores, int size) {
    this.nodes = nodes;
    this.scores = scores;
    this.size = size;
  }

  void reset(NodeInfo[] nodes, long[] scores, int size) {
    this.nodes = nodes;
    this.scores = scores;
    this.size = size;
  }

  public int size() {
    return size;
  }

  public String name(int i) {
    return nodes[i].name();
  }

  public NodeInfo node(int i) {
    return nodes[i];
  }

  public long score(int i) {
    return scores[i];
  }

  public void set(int i, long score) {
    scores[i] = score;
  }

  /**
   * Kubernetes' DefaultNormalizeScore: scales so the highest score becomes {@code maxPriority}
   * (and, with {@code reverse}, flips so the lowest raw score wins). All zeros stay zero, or all
   * become {@code maxPriority} when reversed.
   */
  public void defaultNormalize(long maxPriority, boolean reverse) {
    long max = 0;
    for (int i = 0; i < size; i++) max = Math.max(max, scores[i]);
    if (max == 0) {
      if (reverse) for (int i = 0; i < size; i++) scores[i] = maxPriority;
      return;
    }
    for (int i = 0; i < size; i++) {
      long s = maxPriority * scores[i] / max;
      scores[i] = reverse ? maxPriority - s : s;
    }
  }
}
