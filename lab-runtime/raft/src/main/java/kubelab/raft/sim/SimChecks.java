package kubelab.raft.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.Ready;
import kubelab.raft.scenario.Format;

/**
 * The safety properties of Raft (the paper's Figure 3) and of membership changes, checked while a
 * schedule runs. Each check watches what the drivers see (roles, applied entries, the membership
 * after each change), never the core's internals, so a core that breaks a rule cannot hide it.
 *
 * <ul>
 *   <li><b>Election safety:</b> at most one leader per term.
 *   <li><b>State machine safety:</b> no two nodes apply different entries at the same index.
 *   <li><b>Leader completeness</b> ("committed entries are never lost"): a node that becomes
 *       leader of term T holds every entry that was committed in a term before T. An entry counts
 *       as committed once some node applied it; its commit term is bounded by the applying node's
 *       term then (the leader that committed it had a term no higher), so the check never blames
 *       a leader for an entry committed in its own term or later.
 *   <li><b>Configuration agreement:</b> the membership is a function of the applied index. Every
 *       node that applies the conf change at index i ends with the same configuration; a node
 *       that starts or restarts from its disk, or installs a snapshot, has exactly the
 *       configuration of its applied index. This is how a restart that took its membership from
 *       {@code Config.peers} instead of storage would show.
 * </ul>
 */
final class SimChecks {
  private final Simulation sim;

  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  final TreeSet<Long> candidateTerms = new TreeSet<>();
  private final Map<Long, Entry> appliedAt = new HashMap<>();
  private final Map<Long, Long> appliedBy = new HashMap<>();
  /** Index -> an upper bound on the term in which it was committed (the lowest term of a node that applied it). */
  private final Map<Long, Long> commitTermAt = new HashMap<>();
  private long maxApplied;
  /** Index of each applied conf change -> the membership after it; index 0: the founding membership. */
  private final TreeMap<Long, Members> configAt = new TreeMap<>();

  /** A membership as two sorted sets, comparable whatever order a ConfState lists its ids in. */
  record Members(TreeSet<Long> voters, TreeSet<Long> learners) {
    static Members of(ConfState cs) {
      return new Members(new TreeSet<>(cs.voters()), new TreeSet<>(cs.learners()));
    }

    boolean contains(long id) {
      return voters.contains(id) || learners.contains(id);
    }

    @Override
    public String toString() {
      return "voters " + voters + (learners.isEmpty() ? "" : " learners " + learners);
    }
  }

  SimChecks(Simulation sim, ConfState founding) {
    this.sim = sim;
    configAt.put(0L, Members.of(founding));
  }

  /** Whether some node was leader in {@code term}. */
  boolean leaderTerm(long term) {
    return leaderOfTerm.containsKey(term);
  }

  int leaders() {
    return leaderOfTerm.size();
  }

  /** Membership changes applied (distinct log indexes), the founding entries of a bootstrap included. */
  int confChanges() {
    return configAt.size() - 1;
  }

  /** The newest membership some node applied (it is committed). */
  Members latestConfig() {
    return configAt.lastEntry().getValue();
  }

  /** Whether {@code id} was a member of some applied configuration. */
  boolean everMember(long id) {
    for (Members m : configAt.values()) if (m.contains(id)) return true;
    return false;
  }

  // ---------------------------------------------------------------- elections

  /** Election Safety (Figure 3): at most one leader can be elected in a given term. Then Leader Completeness. */
  void observeRole(SimNode n, Ready.Role role, long term) {
    if (role == Ready.Role.CANDIDATE) candidateTerms.add(term);
    if (role != Ready.Role.LEADER) return;
    Long prev = leaderOfTerm.putIfAbsent(term, n.id);
    if (prev != null && prev != n.id) {
      sim.violation("election safety: nodes " + prev + " and " + n.id + " were both leader in term " + term);
    }
    if (prev == null) leaderCompleteness(n, term);
  }

  /**
   * Leader Completeness (Figure 3): "if a log entry is committed in a given term, then that entry
   * will be present in the logs of the leaders for all higher-numbered terms".
   */
  private void leaderCompleteness(SimNode n, long term) {
    List<Entry> log = n.raw.logEntries();
    long last = log.isEmpty() ? n.raw.firstIndex() - 1 : log.get(log.size() - 1).index();
    for (Entry e : log) {
      Entry committed = appliedAt.get(e.index());
      if (committed == null || commitTermAt.get(e.index()) >= term) continue;
      if (committed.term() != e.term()) {
        sim.violation("leader completeness: node " + n.id + " became leader of term " + term + " with "
            + Format.entry(e) + " at index " + e.index() + ", but " + Format.entry(committed)
            + " was committed there in an earlier term (applied by node " + appliedBy.get(e.index()) + ")");
        return;
      }
    }
    for (long i = maxApplied; i > last; i--) {
      Long ct = commitTermAt.get(i);
      if (ct != null && ct < term) {
        sim.violation("leader completeness: node " + n.id + " became leader of term " + term + " with a log ending at "
            + last + ", but entry " + i + " (term " + appliedAt.get(i).term() + ") was committed in an earlier term");
        return;
      }
    }
  }

  // ---------------------------------------------------------------- the log

  /** State Machine Safety (Figure 3): no two servers apply different commands at the same index. */
  void observeApplied(SimNode n, Entry e, long nodeTerm) {
    commitTermAt.merge(e.index(), nodeTerm, Math::min);
    if (e.index() > maxApplied) maxApplied = e.index();
    Entry prev = appliedAt.putIfAbsent(e.index(), e);
    if (prev == null) {
      appliedBy.put(e.index(), n.id);
      return;
    }
    if (prev.term() != e.term() || !Arrays.equals(prev.data(), e.data())) {
      sim.violation("state machine safety: node " + appliedBy.get(e.index()) + " applied " + Format.entry(prev)
          + " but node " + n.id + " applied " + Format.entry(e) + " at index " + e.index());
    }
  }

  // ---------------------------------------------------------------- membership

  /** The node applied the conf change at {@code index} and now has {@code cs}. */
  void observeConfChange(SimNode n, long index, ConfState cs) {
    Members got = Members.of(cs);
    Members first = configAt.putIfAbsent(index, got);
    if (first != null && !first.equals(got)) {
      sim.violation("configuration agreement: after the conf change at index " + index + " node " + n.id
          + " has " + got + " but another node had " + first);
    }
  }

  /**
   * The node's membership must be the one of its applied index: on start and restart (from what
   * it persisted) and after installing a snapshot.
   */
  void expectConfigAtApplied(SimNode n, long applied, ConfState cs, String when) {
    Members want = configAt.floorEntry(applied).getValue();
    Members got = Members.of(cs);
    if (!want.equals(got)) {
      sim.violation("configuration agreement: node " + n.id + " " + when + " at applied index " + applied
          + " with " + got + ", but the configuration there is " + want);
    }
  }
}
