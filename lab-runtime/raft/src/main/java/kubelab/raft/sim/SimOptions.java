package kubelab.raft.sim;

import java.util.function.Consumer;
import kubelab.raft.Config;
import kubelab.raft.Params;

/**
 * What one simulated schedule looks like, besides its seed. The defaults come from
 * {@link Params}; a seed plus these options replays exactly. Besides the options, each seed
 * chooses the message size limit (one entry per message, or many), the flow-control window, how
 * the founding membership is recorded (in the log, or as {@code Config.peers}), whether this
 * schedule runs the leader-churn nemesis (in {@link FaultMode#MIXED}), and (unless fixed here)
 * PreVote and CheckQuorum, so the schedules cover every code path.
 *
 * @param nodes      founding cluster size (3 or 5 in CI); membership changes move it by one
 * @param durationMs simulated time during which clients issue operations; faults stop at 70% of
 *                   it, then the network heals and every node restarts, so the run ends calm
 * @param faults     inject partitions, crashes, restarts, leader transfers and membership changes
 * @param dropRate   probability that a message is lost
 * @param dupRate    probability that a message is delivered twice
 * @param jitter     randomized election timeouts (false: every follower times out together)
 * @param preVote    PreVote on every node; null: chosen per seed
 * @param checkQuorum CheckQuorum on every node; null: chosen per seed
 * @param bug        a safety rule switched off on every node (see {@link Config.InjectedBug})
 * @param faultMode  which nemesis runs (see {@link FaultMode})
 * @param membership add and remove members during the faulty part of the schedule
 * @param trace      receives a line per event (verbose replay), or null
 */
public record SimOptions(
    int nodes,
    int durationMs,
    boolean faults,
    double dropRate,
    double dupRate,
    boolean jitter,
    Boolean preVote,
    Boolean checkQuorum,
    Config.InjectedBug bug,
    FaultMode faultMode,
    boolean membership,
    Consumer<String> trace) {

  /**
   * The nemesis. RANDOM: partitions, crashes, restarts, transfers and membership changes at random
   * times. LEADER_CHURN: the same plus the conditions of the paper's Figure 8 (one entry per
   * AppendEntries, one message in flight, new leaders crashing soon after their election and
   * leaders crashing while they copy entries of earlier terms to a follower, entries of the
   * leader's own term held back in the network so the older ones land first); see
   * {@link LeaderChurn}. MIXED (the default): each seed picks LEADER_CHURN with probability
   * 1/{@link Params#SIM_CHURN_ONE_IN}, else RANDOM.
   */
  public enum FaultMode { MIXED, RANDOM, LEADER_CHURN }

  public SimOptions {
    if (nodes < 1 || nodes > 9) throw new IllegalArgumentException("--nodes must be between 1 and 9, got " + nodes);
    if (durationMs < 100) throw new IllegalArgumentException("duration must be at least 100 ms of simulated time");
    if (bug == null) bug = Config.InjectedBug.NONE;
    if (faultMode == null) faultMode = FaultMode.MIXED;
  }

  public static SimOptions defaults(int nodes) {
    return new SimOptions(nodes, Params.SIM_DURATION_MS, true, Params.SIM_DROP_RATE, Params.SIM_DUP_RATE,
        true, null, null, Config.InjectedBug.NONE, FaultMode.MIXED, true, null);
  }

  public SimOptions withBug(Config.InjectedBug b) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, b, faultMode, membership, trace);
  }

  public SimOptions withTrace(Consumer<String> t) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, faultMode, membership, t);
  }

  public SimOptions withJitter(boolean j) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, j, preVote, checkQuorum, bug, faultMode, membership, trace);
  }

  public SimOptions withDuration(int ms) {
    return new SimOptions(nodes, ms, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, faultMode, membership, trace);
  }

  /** Fixes PreVote and CheckQuorum (null: chosen per seed). */
  public SimOptions withPreVoteAndCheckQuorum(Boolean pv, Boolean cq) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, pv, cq, bug, faultMode, membership, trace);
  }

  public SimOptions withFaultMode(FaultMode m) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, m, membership, trace);
  }

  public SimOptions withMembership(boolean on) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, faultMode, on, trace);
  }

  public SimOptions withFaults(boolean on) {
    return new SimOptions(nodes, durationMs, on, dropRate, dupRate, jitter, preVote, checkQuorum, bug, faultMode, membership, trace);
  }
}
