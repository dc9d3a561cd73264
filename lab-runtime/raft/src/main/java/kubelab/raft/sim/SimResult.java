package kubelab.raft.sim;

import java.util.List;

/**
 * The outcome of one schedule: the violations found (empty when Raft behaved) and counters.
 *
 * @param violations    one line each: election safety, state machine safety, a core invariant
 *                      failure, or a non-linearizable history (with the checker's explanation)
 * @param elections     leaders elected (distinct terms with a leader)
 * @param candidateTerms terms in which some node became a candidate
 * @param splitTerms    candidate terms that ended without a leader (split votes, lost elections)
 * @param operations    client operations in the checked history (completed or timed out)
 * @param unknown       operations whose outcome is unknown (timed out)
 * @param messages      messages sent
 * @param crashes       node crashes injected
 * @param snapshots     InstallSnapshot messages delivered
 * @param checkUnknown  the checker ran out of budget (not a violation, but not a proof either)
 * @param leaderChurn   this schedule ran the leader-churn nemesis (Figure 8's conditions)
 * @param churnIsolations leaders that nemesis partitioned away
 * @param membershipChanges conf changes applied after the founding (adds, promotions, removals)
 * @param joins         members added from empty storage (their addition proposed)
 * @param restartsAfterConfChange nodes crashed right after applying a conf change (then restarted)
 * @param deletes       delete operations the clients issued
 * @param txns          compare-and-swap transactions the clients issued
 */
public record SimResult(
    long seed,
    List<String> violations,
    int elections,
    int candidateTerms,
    int splitTerms,
    int operations,
    int unknown,
    long messages,
    int crashes,
    int snapshots,
    boolean checkUnknown,
    boolean leaderChurn,
    int churnIsolations,
    int membershipChanges,
    int joins,
    int restartsAfterConfChange,
    int deletes,
    int txns) {

  public boolean ok() {
    return violations.isEmpty();
  }
}
