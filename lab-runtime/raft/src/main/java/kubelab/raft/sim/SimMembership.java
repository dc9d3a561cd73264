package kubelab.raft.sim;

import java.util.ArrayList;
import java.util.List;
import kubelab.raft.ConfChange;
import kubelab.raft.ConfState;
import kubelab.raft.Params;
import kubelab.raft.ProposalDroppedException;

/**
 * Single-server membership changes during a schedule (dissertation §4.1), proposed through the
 * current leader as an operator would: add a member (a fresh id, started from empty storage,
 * sometimes as a learner first and promoted later), remove a member (sometimes the leader
 * itself). The voter count stays between the founding size minus one (at least 3) and the
 * founding size plus one: 3 → 4 → 3, 5 → 6 → 5 → 4.
 *
 * <p>How nodes come and go, as in etcd: a new member starts knowing nobody (with the founding
 * membership in the log) or knowing only the founding members ({@code Config.peers}); it learns
 * the rest from the log or a snapshot. A member that applies its own removal shuts down for
 * good, and ids are never reused (a new incarnation under an old id could vote twice in a term).
 * Right after applying a change, a node sometimes crashes, so that restarts read a membership
 * that changed since the snapshot or since the founding.
 */
final class SimMembership {
  private final Simulation sim;
  private long nextId;
  int joins;
  int removals;
  int promotions;
  int restartsAfterChange;

  /** The founding ADD_NODE entries of a bootstrap are at indexes 1..this (0: none). */
  private final long bootstrapEntries;

  SimMembership(Simulation sim, int founders, long bootstrapEntries) {
    this.sim = sim;
    this.nextId = founders + 1;
    this.bootstrapEntries = bootstrapEntries;
  }

  /** A membership-change fault: the leader proposes one change, if none is pending. */
  void change() {
    long leaderId = sim.currentLeader();
    if (leaderId == 0) return;
    SimNode leader = sim.nodes.get(leaderId);
    ConfState cs = leader.raw.status().confState();
    int n = sim.options.nodes();
    int voters = cs.voters().size();
    int min = Math.max(Math.min(3, n), n - 1);
    int max = n + 1;
    if (!cs.learners().isEmpty() && voters < max && sim.rng.nextBoolean()) {
      long learner = cs.learners().get(sim.rng.nextInt(cs.learners().size()));
      if (propose(leader, new ConfChange(ConfChange.Type.ADD_NODE, learner, null))) promotions++;
      return;
    }
    boolean add = voters < min || (voters < max && sim.rng.nextBoolean());
    if (add) {
      if (nextId > n + Params.SIM_MAX_JOINS) return;
      long id = nextId;
      boolean asLearner = sim.rng.nextInt(Params.SIM_ADD_AS_LEARNER_ONE_IN) == 0;
      // The new member runs before its addition commits, so the leader can reach it at once.
      if (!propose(leader, new ConfChange(asLearner ? ConfChange.Type.ADD_LEARNER : ConfChange.Type.ADD_NODE, id, null))) return;
      nextId++;
      joins++;
      sim.startJoiner(id, leaderId);
    } else if (voters > min || !cs.learners().isEmpty()) {
      List<Long> candidates = new ArrayList<>(cs.voters());
      if (voters <= min) candidates.clear();
      candidates.addAll(cs.learners());
      // One removal in three takes out the leader itself: it steps down when it applies the change.
      long victim = voters > min && sim.rng.nextInt(3) == 0 ? leaderId : candidates.get(sim.rng.nextInt(candidates.size()));
      if (propose(leader, new ConfChange(ConfChange.Type.REMOVE_NODE, victim, null))) removals++;
    }
  }

  private boolean propose(SimNode leader, ConfChange cc) {
    try {
      leader.raw.proposeConfChange(cc);
    } catch (ProposalDroppedException e) {
      sim.trace("membership: " + leader.id + " refused " + describe(cc) + ": " + e.getMessage());
      return false;
    }
    sim.trace("membership: leader " + leader.id + " proposes " + describe(cc));
    leader.processReady();
    return true;
  }

  /**
   * Called by a node's driver when it has applied a conf change at {@code index}. Returns whether
   * the node must shut down (it applied its own removal).
   */
  boolean applied(SimNode n, long index, ConfChange cc, ConfState cs) {
    sim.checks.observeConfChange(n, index, cs);
    boolean removedSelf = cc.type() == ConfChange.Type.REMOVE_NODE && cc.nodeId() == n.id;
    if (!removedSelf && index > bootstrapEntries && sim.faultsActive() && sim.rng.nextDouble() < Params.SIM_CRASH_AFTER_CONF_CHANGE_RATE) {
      restartsAfterChange++;
      sim.schedule(sim.rng.nextInt(30), new Simulation.Crash(n.id, "restart after the membership change at index " + index));
    }
    return removedSelf;
  }

  static String describe(ConfChange cc) {
    return switch (cc.type()) {
      case ADD_NODE -> "add " + cc.nodeId();
      case ADD_LEARNER -> "add-learner " + cc.nodeId();
      case REMOVE_NODE -> "remove " + cc.nodeId();
    };
  }
}
