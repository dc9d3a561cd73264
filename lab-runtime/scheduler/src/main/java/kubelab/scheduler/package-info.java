/**
 * KubeLab's scheduler: kube-scheduler's design at teaching size (Kubernetes v1.32).
 *
 * <p>A pod's way through it:
 * <ol>
 *   <li>An informer reports a pod without {@code spec.nodeName} naming one of our profiles
 *       ({@code schedulerName}); PreEnqueue (scheduling gates) may hold it back; it enters
 *       activeQ ({@link kubelab.scheduler.queue.SchedulingQueue}), ordered by priority, then age.
 *   <li>The scheduling thread pops it and snapshots the cache
 *       ({@link kubelab.scheduler.cache.SchedulerCache}): only nodes that changed are copied.
 *   <li>PreFilter, then Filter on the nodes in parallel from where the last cycle stopped, until
 *       percentageOfNodesToScore of them fit ({@link kubelab.scheduler.Scheduler}).
 *   <li>No node fits: PostFilter (DefaultPreemption) may evict lower-priority pods and nominate
 *       the pod; the FailedScheduling event and the PodScheduled condition carry the
 *       {@link kubelab.scheduler.framework.FitError} message; the pod waits in the unschedulable
 *       set for an event that could help, or backs off 1 s → 10 s.
 *   <li>Otherwise PreScore, Score, NormalizeScore and weights pick a node (ties at random); the
 *       pod is assumed on it in the cache, Reserve and Permit run.
 *   <li>The binding cycle, on another thread: PreBind, Bind ({@code pods/NAME/binding}), the
 *       Scheduled event, PostBind; on failure, Unreserve and forget, and back to the queue.
 * </ol>
 * Plugins live in {@code kubelab.scheduler.plugins.*}, one package each, registered in
 * {@link kubelab.scheduler.plugins.PluginRegistry#inTree()}; every reason string a learner
 * reads is in {@link kubelab.scheduler.SchedulerReasons}; tunables in {@link kubelab.scheduler.Params}.
 * {@link kubelab.scheduler.explain.Explainer} replays one decision in full;
 * {@link kubelab.scheduler.server.SchedulerServer} runs all of this against an API server with
 * leader election; {@link kubelab.scheduler.InMemoryCluster} stands in for the API server in the
 * pure tests and the in-process benchmark.
 */
package kubelab.scheduler;
