package kubelab.client.leaderelection;

/**
 * Where the leader election record lives (client-go resourcelock.Interface). The only
 * implementation that matters is {@link LeaseLock} (coordination.k8s.io/v1 Lease); the
 * Endpoints and ConfigMap locks are gone from Kubernetes, and {@link InMemoryLock} exists for
 * pure tests. Both pass the same contract test.
 *
 * <p>Contract: {@link #update} succeeds only if the lock has not changed since this client's last
 * {@link #get} or successful write (optimistic concurrency: Lease's resourceVersion), and fails
 * with {@code ApiException.Conflict} otherwise; {@link #create} fails with
 * {@code ApiException.AlreadyExists} if someone created it first; {@link #get} fails with
 * {@code ApiException.NotFound} if it does not exist. Calls block for one request. An instance is
 * used by one elector thread.
 */
public interface ResourceLock {
  LeaderElectionRecord get();

  void create(LeaderElectionRecord record);

  void update(LeaderElectionRecord record);

  /** This candidate's identity (unique among the candidates: e.g. hostname_uuid). */
  String identity();

  /** For logs: "kube-system/kube-scheduler". */
  String describe();
}
