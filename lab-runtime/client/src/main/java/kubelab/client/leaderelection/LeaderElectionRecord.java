package kubelab.client.leaderelection;

import java.time.Duration;
import java.time.Instant;

/**
 * What a lock holds about the leader (client-go resourcelock.LeaderElectionRecord), read from and
 * written to a Lease's spec.
 *
 * @param holderIdentity the leader's identity; "" after a voluntary release
 * @param leaseDuration how long others wait after last seeing this record change
 * @param acquireTime when the current holder acquired the lease
 * @param renewTime when the holder last renewed it
 * @param leaderTransitions how many times the holder changed
 */
public record LeaderElectionRecord(String holderIdentity, Duration leaseDuration, Instant acquireTime,
    Instant renewTime, int leaderTransitions) {

  public LeaderElectionRecord withHolder(String id) {
    return new LeaderElectionRecord(id, leaseDuration, acquireTime, renewTime, leaderTransitions);
  }
}
