package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Pod;
import kubelab.scheduler.SchedulerReasons;

/**
 * "No node fits this pod", and the one place that builds the message learners read in
 * FailedScheduling events and the PodScheduled condition (Kubernetes' FitError.Error(), v1.32):
 *
 * <pre>
 * 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. preemption: ...
 * └ total nodes            └ each reason counted across nodes, "count reason", sorted, joined ", ", then "."
 *                                                                               └ PostFilter's message
 * </pre>
 *
 * <p>If PreFilter rejected the pod, its message replaces the per-node histogram (the framework
 * would otherwise count the same reason on every node). One node may contribute several
 * reasons ("Insufficient cpu" and "Insufficient memory"). Sorting is on the formatted strings, so
 * "10 X" sorts before "2 Y", exactly as Go's sort.Strings does.
 */
public final class FitError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Pod pod;
  private final int numAllNodes;
  private final transient NodeToStatus nodeToStatus;
  private final String preFilterMsg;
  private String postFilterMsg = "";
  private final transient Set<String> unschedulablePlugins;

  public FitError(Pod pod, int numAllNodes, NodeToStatus nodeToStatus, String preFilterMsg,
      Set<String> unschedulablePlugins) {
    super(null, null, false, false); // an expected outcome: no stack trace
    this.pod = pod;
    this.numAllNodes = numAllNodes;
    this.nodeToStatus = nodeToStatus;
    this.preFilterMsg = preFilterMsg == null ? "" : preFilterMsg;
    this.unschedulablePlugins = unschedulablePlugins == null ? new LinkedHashSet<>() : unschedulablePlugins;
  }

  /** The reason histogram of per-node statuses, e.g. "1 Insufficient cpu, 2 node(s) were unschedulable". */
  public static String histogram(int numAllNodes, NodeToStatus statuses) {
    Map<String, Integer> counts = new HashMap<>();
    statuses.forEachExplicit((node, s) -> {
      for (String r : s.reasons()) counts.merge(r, 1, Integer::sum);
    });
    if (statuses.size() < numAllNodes) {
      for (String r : statuses.absentNodesStatus().reasons()) {
        counts.merge(r, numAllNodes - statuses.size(), Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>(counts.size());
    counts.forEach((reason, n) -> parts.add(n + " " + reason));
    parts.sort(null);
    return String.join(", ", parts);
  }

  /**
   * The filter part of the message for explicit per-node statuses:
   * {@code 0/N nodes are available: <histogram>.} (the shape of exercise ex.sched.fit-error).
   */
  public static String message(int numAllNodes, Map<String, Status> perNode) {
    NodeToStatus m = new NodeToStatus();
    perNode.forEach(m::set);
    return new FitError(null, numAllNodes, m, "", null).message();
  }

  /** The full message: head, PreFilter message or histogram, then PostFilter's message. */
  public String message() {
    StringBuilder sb = new StringBuilder(String.format(SchedulerReasons.NO_NODE_AVAILABLE, numAllNodes)).append(':');
    if (!preFilterMsg.isEmpty()) {
      sb.append(' ').append(preFilterMsg).append('.');
    } else {
      String h = histogram(numAllNodes, nodeToStatus);
      if (!h.isEmpty()) sb.append(' ').append(h).append('.');
    }
    if (!postFilterMsg.isEmpty()) sb.append(' ').append(postFilterMsg);
    return sb.toString();
  }

  /** Records what PostFilter (preemption) said; appended after the filter part. */
  public void setPostFilterMsg(String msg) {
    this.postFilterMsg = msg == null ? "" : msg;
  }

  public Pod pod() { return pod; }
  public int numAllNodes() { return numAllNodes; }
  public NodeToStatus nodeToStatus() { return nodeToStatus; }
  public String preFilterMsg() { return preFilterMsg; }
  public String postFilterMsg() { return postFilterMsg; }
  /** Plugins that rejected at least one node: the queue retries the pod on their events. */
  public Set<String> unschedulablePlugins() { return unschedulablePlugins; }

  @Override
  public String getMessage() {
    return message();
  }

  @Override
  public String toString() {
    return message();
  }
}
