package kubelab.scheduler.plugins.noderesources;

import kubelab.scheduler.Params;

/**
 * The LeastAllocated scoring strategy of NodeResourcesFit (the default; it replaced
 * LeastRequestedPriority): prefer the node with the most free requested capacity.
 *
 * <pre>
 * per resource:  (allocatable − requested) × 100 / allocatable      (0 if requested > allocatable)
 * node score:    Σ weightᵢ × scoreᵢ / Σ weightᵢ                    (cpu and memory, weight 1 each)
 * </pre>
 * {@code requested} includes the pod being scheduled, and a container without a CPU or memory
 * request counts as 100m / 200Mi so that empty requests do not pile onto one node.
 *
 * <p>The seeds (and kube-scheduler before v1.19) scored 0–10:
 * {@code (cpu((capacity − sum(requested)) × 10 / capacity) + memory(...)) / 2}; today's scale is
 * 0–100 and the resources and weights are configurable.
 */
public final class LeastAllocated implements ScoringStrategy {
  public static final String TYPE = "LeastAllocated";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public long resourceScore(long requested, long allocatable) {
    return leastRequestedScore(requested, allocatable);
  }

  /** One resource's score; integer arithmetic, multiply before dividing, as Kubernetes does. */
  public static long leastRequestedScore(long requested, long capacity) {
    if (capacity == 0) return 0;
    if (requested > capacity) return 0;
    return (capacity - requested) * Params.MAX_NODE_SCORE / capacity;
  }
}
