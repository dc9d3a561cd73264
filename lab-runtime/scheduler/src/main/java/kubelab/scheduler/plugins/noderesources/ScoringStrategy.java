package kubelab.scheduler.plugins.noderesources;

/**
 * How NodeResourcesFit turns one resource's requested/allocatable into a 0–100 score; the plugin
 * averages those with the configured weights. Stateless.
 */
public interface ScoringStrategy {
  /** The {@code scoringStrategy.type} this is. */
  String type();

  long resourceScore(long requested, long allocatable);

  static ScoringStrategy of(String type) {
    if (type == null || type.equals(LeastAllocated.TYPE)) return new LeastAllocated();
    if (type.equals(MostAllocated.TYPE)) return new MostAllocated();
    throw new IllegalArgumentException("scoringStrategy.type: \"" + type + "\" is not supported (LeastAllocated or MostAllocated)");
  }
}
