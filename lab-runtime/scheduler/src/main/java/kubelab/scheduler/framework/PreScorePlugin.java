package kubelab.scheduler.framework;

import java.util.List;
import kubelab.api.core.Pod;

/**
 * PreScore: runs once per cycle, after Filter, with the feasible nodes; precomputes what Score
 * needs. Return {@link Status#SKIP} to skip this plugin's Score for the pod (e.g. NodeAffinity
 * when the pod has no preferred terms).
 */
public interface PreScorePlugin extends Plugin {
  Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes);
}
