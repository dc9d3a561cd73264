package kubelab.scheduler.plugins.imagelocality;

import java.util.List;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.Handle;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.ScorePlugin;

/**
 * ImageLocality (the seeds' ImageLocalityPriority): prefer nodes that already have the pod's
 * images, by size, discounted by how widely the image is spread (an image on every node does not
 * distinguish any of them).
 *
 * <pre>
 * sum   = Σ over the pod's containers whose image the node has: size × (nodes with image / all nodes)
 * sum   = clamp(sum, 23 MiB, 1000 MiB × containers)
 * score = 100 × (sum − 23 MiB) / (1000 MiB × containers − 23 MiB)
 * </pre>
 * Image names are compared after adding ":latest" to untagged names, as the plugin does.
 */
public final class ImageLocality implements ScorePlugin {
  public static final String NAME = "ImageLocality";
  private final Handle handle;

  public ImageLocality(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    if (node.imageSizes().isEmpty()) return 0;
    PodInfo p = state.podInfo();
    int total = handle.snapshot().numNodes();
    long sum = 0;
    List<String> images = p.images();
    for (String img : images) {
      Long size = node.imageSizes().get(img);
      if (size == null) continue;
      double spread = total == 0 ? 0 : (double) handle.snapshot().imageNumNodes(img) / total;
      sum += (long) (size * spread);
    }
    return calculatePriority(sum, images.size());
  }

  /** The clamp-and-scale step, public for the table test. */
  public static long calculatePriority(long sumScores, int numContainers) {
    long maxThreshold = Params.IMAGE_MAX_CONTAINER_THRESHOLD * numContainers;
    long min = Params.IMAGE_MIN_THRESHOLD;
    if (sumScores < min) sumScores = min;
    else if (sumScores > maxThreshold) sumScores = maxThreshold;
    if (maxThreshold <= min) return 0;
    return Params.MAX_NODE_SCORE * (sumScores - min) / (maxThreshold - min);
  }
}
