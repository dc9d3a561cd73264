package kubelab.raft.sim;

import java.util.function.Consumer;
import kubelab.raft.Config;
import kubelab.raft.Params;

/**
 * What one simulated schedule looks like, besides its seed. The defaults come from
 * {@link Params}; a seed plus these options replays exactly. Besides the options, each seed
 * chooses the message size limit (one entry per message, or many), the flow-control window, and
 * (unless fixed here) PreVote and CheckQuorum, so the schedules cover every code path.
 *
 * @param nodes      cluster size (3 or 5 in CI)
 * @param durationMs simulated time during which clients issue operations; faults stop at 70% of
 *                   it, then the network heals and every node restarts, so the run ends calm
 * @param faults     inject partitions, crashes, restarts and leader transfers
 * @param dropRate   probability that a message is lost
 * @param dupRate    probability that a message is delivered twice
 * @param jitter     randomized election timeouts (false: every follower times out together)
 * @param preVote    PreVote on every node; null: chosen per seed
 * @param checkQuorum CheckQuorum on every node; null: chosen per seed
 * @param bug        a safety rule switched off on every node (see {@link Config.InjectedBug})
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
    Consumer<String> trace) {

  public SimOptions {
    if (nodes < 1 || nodes > 9) throw new IllegalArgumentException("--nodes must be between 1 and 9, got " + nodes);
    if (durationMs < 100) throw new IllegalArgumentException("duration must be at least 100 ms of simulated time");
    if (bug == null) bug = Config.InjectedBug.NONE;
  }

  public static SimOptions defaults(int nodes) {
    return new SimOptions(nodes, Params.SIM_DURATION_MS, true, Params.SIM_DROP_RATE, Params.SIM_DUP_RATE,
        true, null, null, Config.InjectedBug.NONE, null);
  }

  public SimOptions withBug(Config.InjectedBug b) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, b, trace);
  }

  public SimOptions withTrace(Consumer<String> t) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, t);
  }

  public SimOptions withJitter(boolean j) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, j, preVote, checkQuorum, bug, trace);
  }

  public SimOptions withDuration(int ms) {
    return new SimOptions(nodes, ms, faults, dropRate, dupRate, jitter, preVote, checkQuorum, bug, trace);
  }

  /** Fixes PreVote and CheckQuorum (null: chosen per seed). */
  public SimOptions withPreVoteAndCheckQuorum(Boolean pv, Boolean cq) {
    return new SimOptions(nodes, durationMs, faults, dropRate, dupRate, jitter, pv, cq, bug, trace);
  }
}
