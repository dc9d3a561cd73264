package kubelab.scheduler.plugins.noderesources;

import kubelab.scheduler.Params;

/**
 * The MostAllocated scoring strategy of NodeResourcesFit: bin-packing, prefer the fullest node
 * (fewer nodes busy, so an autoscaler can remove the empty ones).
 *
 * <pre>
 * per resource:  min(requested, allocatable) × 100 / allocatable
 * node score:    Σ weightᵢ × scoreᵢ / Σ weightᵢ
 * </pre>
 */
public final class MostAllocated implements ScoringStrategy {
  public static final String TYPE = "MostAllocated";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public long resourceScore(long requested, long allocatable) {
    return mostRequestedScore(requested, allocatable);
  }

  public static long mostRequestedScore(long requested, long capacity) {
    if (capacity == 0) return 0;
    if (requested > capacity) requested = capacity; // pods with no requests count with the defaults
    return requested * Params.MAX_NODE_SCORE / capacity;
  }
}
