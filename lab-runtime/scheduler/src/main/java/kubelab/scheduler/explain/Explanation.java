package kubelab.scheduler.explain;

import java.util.List;

/**
 * One scheduling decision laid open: for every node, each Filter plugin's verdict; for every
 * feasible node, each Score plugin's raw, normalized and weighted score; the winner and why.
 * Field names are the JSON form's ({@code lab explain scheduling POD --json}).
 *
 * @param pod {@code namespace/name}
 * @param schedulerName the profile used (null when no profile has the pod's schedulerName)
 * @param kubernetesVersion the release whose plugins and wording are followed
 * @param numNodes nodes in the cluster
 * @param filterPlugins Filter plugins in the order they run
 * @param scorePlugins Score plugins with their weights, in order
 * @param nodes per node, in the order the scheduler lists them
 * @param feasible how many nodes pass every filter
 * @param winner the chosen node (null when none fits)
 * @param tied nodes sharing the best total (the scheduler picks one of them at random)
 * @param decidingPlugin the Score plugin that separated the winner from the runner-up most
 * @param why one sentence a learner can read
 * @param message the FailedScheduling message the scheduler would write (null when a node fits)
 * @param preemption what preemption would do (dry run; nothing is evicted by an explanation)
 * @param notes caveats (the pod is already bound, sampling of nodes, no such scheduler...)
 */
public record Explanation(
    String pod,
    String schedulerName,
    String kubernetesVersion,
    int numNodes,
    List<String> filterPlugins,
    List<ScorePluginInfo> scorePlugins,
    List<NodeResult> nodes,
    int feasible,
    String winner,
    List<String> tied,
    String decidingPlugin,
    String why,
    String message,
    List<String> preemption,
    List<String> notes) {

  /** A Score plugin and its weight. {@code normalizes}: whether NormalizeScore rescales its raw scores. */
  public record ScorePluginInfo(String name, long weight, boolean normalizes) {}

  /**
   * One node's outcome.
   *
   * @param rejectedBy the plugin whose rejection the scheduler reports (the first in order), or null
   * @param reasons that plugin's reasons
   * @param total Σ weighted scores (null when the node was not scored)
   */
  public record NodeResult(String node, boolean feasible, List<FilterVerdict> filters, String rejectedBy,
      List<String> reasons, List<ScoreEntry> scores, Long total) {}

  /** A Filter plugin's verdict on a node: Success, Skip, Unschedulable, UnschedulableAndUnresolvable, Error. */
  public record FilterVerdict(String plugin, String code, List<String> reasons) {}

  /** {@code weighted = normalized × weight}; {@code skipped}: PreScore said this plugin has nothing to score for the pod. */
  public record ScoreEntry(String plugin, long raw, long normalized, long weight, long weighted, boolean skipped) {}
}
