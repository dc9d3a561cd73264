package kubelab.scheduler.framework;

/**
 * A scheduler plugin: a named piece of policy that implements one or more extension points
 * ({@link PreFilterPlugin}, {@link FilterPlugin}, {@link ScorePlugin}, ...).
 *
 * <p>The extension points are the scheduling framework's (KEP-624), with Kubernetes' names, run in
 * this order for each pod:
 * <ol>
 *   <li>scheduling cycle (one pod at a time): PreEnqueue (before the queue), QueueSort (queue
 *       order), PreFilter, Filter (per node, in parallel), PostFilter (only when no node fits:
 *       preemption), PreScore, Score and NormalizeScore (per feasible node), Reserve, Permit;
 *   <li>binding cycle (asynchronous): PreBind, Bind, PostBind; Unreserve on any failure.
 * </ol>
 *
 * <p>Plugins are pure: a pod and a node snapshot go in, a {@link Status} comes out. Only Bind (and
 * PreBind, DefaultPreemption's victim deletion) write to the API. Filter and Score are called
 * from several threads at once and must not mutate shared state other than through
 * {@link CycleState} data they prepared in PreFilter/PreScore.
 */
public interface Plugin {
  /** The plugin's registry name, e.g. "TaintToleration". */
  String name();
}
