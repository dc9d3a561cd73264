package kubelab.scheduler.framework;

import kubelab.api.core.Pod;

/**
 * PostFilter: runs only when no node passed Filter. DefaultPreemption lives here: it looks for a
 * node where evicting lower-priority pods would make room and nominates the pod to it.
 */
public interface PostFilterPlugin extends Plugin {
  /**
   * @param filtered why each node was rejected in this cycle
   * @return the nominated node (may be empty) and a status; a non-success status's message is
   *     appended to the fit error ("preemption: 0/3 nodes are available: ...")
   */
  Result postFilter(CycleState state, Pod pod, NodeToStatus filtered);

  /** PostFilterResult plus status. {@code nominatedNodeName} null means "leave it as it is". */
  record Result(String nominatedNodeName, Status status) {
    public static Result of(Status status) {
      return new Result(null, status);
    }
  }
}
