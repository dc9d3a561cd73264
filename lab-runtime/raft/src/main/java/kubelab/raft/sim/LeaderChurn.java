package kubelab.raft.sim;

import java.util.HashMap;
import java.util.Map;
import kubelab.raft.Params;

/**
 * The leader-churn nemesis: it makes the paper's Figure 8 likely instead of a one-in-thousands
 * accident. Figure 8 needs (a) a leader whose newest entries reach only a minority before it
 * disappears; (b) a leader of a later term elected without them, which appends an entry at the
 * same index and disappears before that entry leaves; (c) the first leader (or a follower that
 * has its entries) elected again, copying its old-term entries onto a majority and, if it
 * commits them by counting replicas, disappearing before an entry of its own term is on a
 * majority; (d) the leader of (b) coming back and winning, because its last term is higher, and
 * overwriting what (c) committed. Random faults rarely line this up, mostly because the new
 * leader's no-op travels in the same AppendEntries as the old entries, so they commit together.
 *
 * <p>This nemesis arranges the conditions and nothing else; it does not know which rule is under
 * test, and with the Figure 8 rule in place every one of its schedules must stay clean:
 * <ul>
 *   <li>One entry per AppendEntries and one message in flight per follower (set by
 *       {@link Simulation} for churn schedules): a leader copies old entries one by one, oldest
 *       first, and its own no-op travels last, alone.
 *   <li>A newly elected leader is partitioned away at once, with some probability, so the entry
 *       it just appended (its no-op) never leaves: step (b), and step (a) for the next round.
 *   <li>A leader is partitioned away right after its commit index first advances in its term,
 *       with some probability: in the middle of catching followers up, when old entries may be
 *       on a majority and its own no-op is not (step (c)).
 *   <li>Each isolation replaces the previous one, so the leader isolated before rejoins the
 *       moment the next one is cut off, still holding its lone later-term entry (step (d)).
 *       Messages already in flight across the new partition are dropped on delivery.
 * </ul>
 * Partitioning a leader is, for the rest of the cluster, the same as a crash that loses the
 * messages it had in flight; the isolated node keeps its state and comes back by itself.
 * Measured on the naive commit rule (5 nodes, seeds 1-1000): 186 schedules with a violation, the
 * first at seed 3; with random faults alone, none in 10,000. A first version crashed new leaders
 * a few milliseconds after their election and leaders sending old-term entries, and held back
 * entries of the current term in the network: 1 schedule in 300 for 3 nodes, none for 5. A crash
 * lets the messages already sent arrive, so the no-op still lands; a partition drops them.
 *
 * <p>Driven by the schedule's seed like every other choice, so a failing seed replays exactly.
 */
final class LeaderChurn {
  private final Simulation sim;
  /** Node -> the term in which its commit index last advanced while it was leader. */
  private final Map<Long, Long> committedInTerm = new HashMap<>();
  int isolations;

  LeaderChurn(Simulation sim) {
    this.sim = sim;
  }

  /** A node became leader of {@code term} (its Ready said so; its first messages are in flight). */
  void onElected(long node, long term) {
    if (sim.faultsActive() && sim.rng.nextDouble() < Params.SIM_CHURN_ISOLATE_NEW_LEADER_RATE) {
      isolate(node, "a new leader of term " + term + ", before its first entries arrive");
    }
  }

  /**
   * A leader's commit index advanced (its Ready carried a higher commit index); called before that
   * Ready's messages are sent, so an isolation here keeps the new commit index from leaving.
   */
  void onLeaderCommit(long node, long term) {
    Long before = committedInTerm.put(node, term);
    if (before != null && before == term) return; // only the first advance of a term
    if (sim.faultsActive() && sim.rng.nextDouble() < Params.SIM_CHURN_ISOLATE_AFTER_COMMIT_RATE) {
      isolate(node, "right after its first commit in term " + term);
    }
  }

  private void isolate(long node, String why) {
    isolations++;
    sim.network.groups.clear();
    for (long id : sim.nodes.keySet()) sim.network.groups.put(id, id == node ? 1 : 0);
    sim.trace("leader churn: isolate " + node + " (" + why + ")");
  }
}
