package kubelab.raft.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The totals of a range of schedules: how many ran, which seeds failed (and why), and counters
 * that show the schedules did exercise Raft (elections, split votes, crashes, snapshots). Add
 * results in any order with {@link #add}; {@link #failures()} is sorted by seed.
 */
public final class SimReport {
  public final int nodes;
  public int schedules;
  public long elections;
  public long candidateTerms;
  public long splitTerms;
  public long operations;
  public long unknown;
  public long messages;
  public long crashes;
  public long snapshots;
  public int checkUnknown;
  public int leaderChurnSchedules;
  public long churnIsolations;
  public long membershipChanges;
  public long joins;
  public long restartsAfterConfChange;
  public long deletes;
  public long txns;
  private final List<SimResult> failures = new ArrayList<>();

  public SimReport(int nodes) {
    this.nodes = nodes;
  }

  public synchronized void add(SimResult r) {
    schedules++;
    elections += r.elections();
    candidateTerms += r.candidateTerms();
    splitTerms += r.splitTerms();
    operations += r.operations();
    unknown += r.unknown();
    messages += r.messages();
    crashes += r.crashes();
    snapshots += r.snapshots();
    if (r.checkUnknown()) checkUnknown++;
    if (r.leaderChurn()) leaderChurnSchedules++;
    churnIsolations += r.churnIsolations();
    membershipChanges += r.membershipChanges();
    joins += r.joins();
    restartsAfterConfChange += r.restartsAfterConfChange();
    deletes += r.deletes();
    txns += r.txns();
    if (!r.ok()) failures.add(r);
  }

  /** Seeds with at least one violation. */
  public synchronized int violations() {
    return failures.size();
  }

  public synchronized List<SimResult> failures() {
    List<SimResult> out = new ArrayList<>(failures);
    out.sort((a, b) -> Long.compare(a.seed(), b.seed()));
    return out;
  }

  /** Share of candidate terms that ended without a leader. */
  public double splitVoteRate() {
    return candidateTerms == 0 ? 0 : (double) splitTerms / candidateTerms;
  }

  /**
   * Runs seeds {@code from..to} in order and stops at the first that finds a violation; returns
   * it, or -1. "Seeds to first violation" is how fast a nemesis catches an injected bug.
   */
  public static long firstFailingSeed(SimOptions options, long from, long to) {
    for (long s = from; s <= to; s++) if (!Simulation.run(options, s).ok()) return s;
    return -1;
  }

  /** Runs seeds {@code from..to} (inclusive) one after the other. */
  public static SimReport run(SimOptions options, long from, long to) {
    SimReport rep = new SimReport(options.nodes());
    for (long s = from; s <= to; s++) rep.add(Simulation.run(options, s));
    return rep;
  }
}
