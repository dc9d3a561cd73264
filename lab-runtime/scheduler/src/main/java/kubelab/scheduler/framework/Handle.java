package kubelab.scheduler.framework;

import java.time.Clock;

/**
 * What a plugin may use besides its arguments: the cycle's snapshot, the other cluster objects,
 * the API writer, the clock, the nominated pods, the parallelizer and its own framework (for
 * preemption's what-if filtering). Kubernetes' framework.Handle. Given to plugin factories.
 */
public interface Handle {
  /** The snapshot the current cycle reads (refreshed in place between cycles). */
  Snapshot snapshot();

  ClusterObjects objects();

  ApiWriter api();

  Clock clock();

  Nominator nominator();

  Parallelizer parallelizer();

  WaitingPods waitingPods();

  /** The framework (profile) this plugin belongs to; valid once the framework is built. */
  Framework framework();
}
