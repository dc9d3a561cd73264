package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * PreFilter: runs once per scheduling cycle before any Filter, to precompute per-pod state into
 * {@link CycleState} (so Filter, called once per node, stays cheap) or to reject the pod outright.
 *
 * <p>Return {@link Status#SKIP} when this plugin has nothing to check for the pod: its Filter is
 * then not called in this cycle. A rejecting status fails the cycle for every node with that
 * message (the "PreFilter message" of the fit error). A plugin may restrict the candidate nodes
 * with {@link CycleState#restrictNodes} (NodeAffinity does for {@code matchFields metadata.name}).
 */
public interface PreFilterPlugin extends Plugin {
  Status preFilter(CycleState state, Pod pod);

  /**
   * Incremental updates of the precomputed state when a pod is added to or removed from a node
   * during preemption's what-if evaluation and nominated-pod filtering; null when the plugin's
   * state does not depend on other pods.
   */
  default PreFilterExtensions preFilterExtensions() {
    return null;
  }

  /** AddPod/RemovePod of Kubernetes' PreFilterExtensions. */
  interface PreFilterExtensions {
    Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node);
  }
}
