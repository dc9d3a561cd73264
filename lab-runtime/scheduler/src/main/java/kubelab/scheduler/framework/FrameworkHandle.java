package kubelab.scheduler.framework;

import java.time.Clock;

/**
 * The concrete {@link Handle}: the components one scheduler shares among its profiles, plus the
 * framework the handle belongs to (set once the framework is built).
 */
public final class FrameworkHandle implements Handle {
  private final Snapshot snapshot;
  private final ClusterObjects objects;
  private final ApiWriter api;
  private final Clock clock;
  private final Nominator nominator;
  private final Parallelizer parallelizer;
  private final WaitingPods waitingPods;
  private volatile Framework framework;

  public FrameworkHandle(Snapshot snapshot, ClusterObjects objects, ApiWriter api, Clock clock,
      Nominator nominator, Parallelizer parallelizer, WaitingPods waitingPods) {
    this.snapshot = snapshot;
    this.objects = objects;
    this.api = api;
    this.clock = clock;
    this.nominator = nominator;
    this.parallelizer = parallelizer;
    this.waitingPods = waitingPods;
  }

  /** A handle for the same components but another snapshot (explanations, tests). */
  public FrameworkHandle withSnapshot(Snapshot s) {
    return new FrameworkHandle(s, objects, api, clock, nominator, parallelizer, waitingPods);
  }

  void bind(Framework f) {
    this.framework = f;
  }

  @Override public Snapshot snapshot() { return snapshot; }
  @Override public ClusterObjects objects() { return objects; }
  @Override public ApiWriter api() { return api; }
  @Override public Clock clock() { return clock; }
  @Override public Nominator nominator() { return nominator; }
  @Override public Parallelizer parallelizer() { return parallelizer; }
  @Override public WaitingPods waitingPods() { return waitingPods; }
  @Override public Framework framework() { return framework; }
}
