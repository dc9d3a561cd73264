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
    boolean checkUnknown) {

  public boolean ok() {
    return violations.isEmpty();
  }
}
