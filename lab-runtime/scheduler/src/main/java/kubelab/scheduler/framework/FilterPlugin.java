package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * Filter (the old "predicates"): can this pod run on this node? Called for many nodes in parallel;
 * must not mutate {@code node} or shared state. Return success (or null), or an
 * UNSCHEDULABLE / UNSCHEDULABLE_AND_UNRESOLVABLE status whose reasons are the fragments counted
 * in the fit error ("Insufficient cpu").
 */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, Pod pod, NodeInfo node);
}
