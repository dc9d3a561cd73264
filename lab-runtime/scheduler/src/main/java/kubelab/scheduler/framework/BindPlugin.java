package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * Bind: tell the API server where the pod runs. DefaultBinder POSTs a Binding to the pod's
 * {@code binding} subresource. Return {@link Status#SKIP} to let the next Bind plugin handle it.
 * Runs in the binding cycle, off the scheduling thread; may block on the network.
 */
public interface BindPlugin extends Plugin {
  Status bind(CycleState state, Pod pod, String nodeName);
}
