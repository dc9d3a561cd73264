package kubelab.shell.dev;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.raft.Config;
import kubelab.raft.Params;
import kubelab.raft.scenario.ScenarioRunner;
import kubelab.raft.sim.SimOptions;
import kubelab.raft.sim.SimReport;
import kubelab.raft.sim.SimResult;
import kubelab.raft.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab dev raft-sim}: runs the deterministic Raft simulation (kubelab.raft.sim) for a range
 * of seeds and reports schedules run and violations found; or replays one seed with a trace; or
 * runs a scenario script. Exit code 1 when a violation is found or a script's output differs.
 *
 * <p>Seeds run on a few worker threads (each schedule is single-threaded and independent, so the
 * result does not depend on how they are spread).
 */
@Command(
    name = "raft-sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run the deterministic Raft simulation: whole clusters in one thread with partitions, crashes, "
          + "restarts, message loss, duplication and reordering, membership changes, driven by a seed. Checks "
          + "election safety, state machine safety, leader completeness, configuration agreement and the "
          + "linearizability of the clients' history (put, get, delete, cas, txn). Exit code 1 when a "
          + "violation is found.",
      "",
      "Examples:",
      "  lab dev raft-sim --seeds 1-10000 --nodes 5",
      "  lab dev raft-sim --seed 42 --nodes 5 --verbose",
      "  lab dev raft-sim --seeds 1-2000 --bug vote-without-log-check",
      "  lab dev raft-sim --seeds 1-300 --fault-mode leader-churn \\",
      "      --bug commit-by-counting-any-term",
      "  lab dev raft-sim --seeds 1-1000 --no-faults --no-jitter --prevote false",
      "  lab dev raft-sim --script figure8.txt"
    })
public final class RaftSimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--seeds", paramLabel = "FROM-TO", description = "Seed range to run (default: ${DEFAULT-VALUE}).", defaultValue = "1-1000")
  String seeds;

  @Option(names = "--seed", paramLabel = "N", description = "Run one seed (with --verbose: print its trace).")
  Long seed;

  @Option(names = "--nodes", paramLabel = "N", description = "Cluster size, 1 to 9 (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  int nodes;

  @Option(names = "--json", description = "Print one JSON object (fields: schedules, violations, failing_seeds, ...).")
  boolean json;

  @Option(names = "--verbose", description = "Print every event of the schedule (needs --seed).")
  boolean verbose;

  @Option(names = "--script", paramLabel = "FILE", description = "Run a scenario script (the datadriven format) and print its transcript.")
  Path script;

  @Option(names = "--bug", paramLabel = "NAME", description = "Switch a safety rule off to see the checkers catch it: " + BUG_NAMES + ".")
  String bug;

  static final String BUG_NAMES = "vote-without-log-check, commit-by-counting-any-term, read-index-without-quorum, membership-from-config-peers";

  @Option(names = "--fault-mode", paramLabel = "MODE", defaultValue = "mixed",
      description = "The nemesis: random (partitions, crashes, restarts, transfers, membership changes), leader-churn "
          + "(also Figure 8's conditions: one entry per append, new leaders partitioned away at once or right after "
          + "their first commit), or mixed: the seed picks leader-churn for about one schedule in "
          + Params.SIM_CHURN_ONE_IN + " (default: ${DEFAULT-VALUE}).")
  String faultMode;

  @Option(names = "--no-membership", description = "No membership changes (members added from empty storage, removed, the leader too).")
  boolean noMembership;

  @Option(names = "--no-jitter", description = "Election timeouts without randomization (watch split votes soar).")
  boolean noJitter;

  @Option(names = "--no-faults", description = "No partitions, crashes, leader transfers or membership changes (message loss and reordering stay).")
  boolean noFaults;

  @Option(names = "--prevote", paramLabel = "BOOL", arity = "1", description = "Fix PreVote on or off (default: chosen per seed).")
  Boolean preVote;

  @Option(names = "--checkquorum", paramLabel = "BOOL", arity = "1", description = "Fix CheckQuorum on or off (default: chosen per seed).")
  Boolean checkQuorum;

  @Option(names = "--duration", paramLabel = "MS", description = "Simulated milliseconds per schedule (default: ${DEFAULT-VALUE}).", defaultValue = "" + Params.SIM_DURATION_MS)
  int durationMs;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads for a seed range (default: the number of CPUs).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (script != null) return runScript(out, err);
    SimOptions o = options();
    if (verbose && seed == null) throw new IllegalArgumentException("--verbose replays one schedule: add --seed N");
    long from;
    long to;
    if (seed != null) {
      from = to = seed;
    } else {
      long[] r = parseRange(seeds);
      from = r[0];
      to = r[1];
    }
    if (verbose) {
      SimResult r = Simulation.run(o.withTrace(out::println), seed);
      out.println(r.ok() ? "seed " + seed + ": no violation" : "seed " + seed + ": " + r.violations().size() + " violation(s)");
      out.flush();
      return r.ok() ? 0 : 1;
    }
    long t0 = System.nanoTime();
    SimReport rep = runRange(o, from, to, err);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (json) {
      out.println(JsonOut.write(jsonReport(rep, from, to, secs)));
    } else {
      printReport(out, rep, from, to, secs);
    }
    out.flush();
    return rep.violations() == 0 ? 0 : 1;
  }

  private SimOptions options() {
    Config.InjectedBug b = Config.InjectedBug.NONE;
    if (bug != null) {
      try {
        b = Config.InjectedBug.valueOf(bug.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown --bug '" + bug + "': use one of " + BUG_NAMES);
      }
    }
    SimOptions.FaultMode mode;
    try {
      mode = SimOptions.FaultMode.valueOf(faultMode.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --fault-mode '" + faultMode + "': use mixed, random or leader-churn");
    }
    if (nodes < 1 || nodes > 9) throw new IllegalArgumentException("--nodes must be between 1 and 9, got " + nodes);
    SimOptions d = SimOptions.defaults(nodes);
    return new SimOptions(nodes, durationMs, !noFaults, d.dropRate(), d.dupRate(), !noJitter, preVote, checkQuorum, b,
        mode, !noMembership, null);
  }

  static long[] parseRange(String s) {
    String[] p = s.trim().split("-");
    try {
      if (p.length == 1) {
        long v = Long.parseLong(p[0]);
        return new long[] {v, v};
      }
      if (p.length == 2) {
        long a = Long.parseLong(p[0]);
        long b = Long.parseLong(p[1]);
        if (a <= b) return new long[] {a, b};
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("--seeds must look like FROM-TO with FROM <= TO (for example 1-10000), got '" + s + "'");
  }

  private SimReport runRange(SimOptions o, long from, long to, PrintWriter err) throws Exception {
    SimReport rep = new SimReport(o.nodes());
    long total = to - from + 1;
    int n = threads != null ? Math.max(1, threads) : Math.max(1, Runtime.getRuntime().availableProcessors());
    n = (int) Math.min(n, total);
    AtomicLong next = new AtomicLong(from);
    AtomicLong done = new AtomicLong();
    boolean progress = total >= 2000;
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "raft-sim");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(pool.submit(() -> {
          long s;
          while ((s = next.getAndIncrement()) <= to) {
            rep.add(Simulation.run(o, s));
            long d = done.incrementAndGet();
            if (progress && d % (total / 10) == 0) {
              synchronized (err) {
                err.printf("raft-sim: %d/%d schedules, %d violations so far%n", d, total, rep.violations());
                err.flush();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) f.get();
    } finally {
      pool.shutdownNow();
    }
    return rep;
  }

  private String replayHint(long seed) {
    StringBuilder sb = new StringBuilder("lab dev raft-sim --seed " + seed + " --nodes " + nodes);
    if (bug != null) sb.append(" --bug ").append(bug);
    if (!faultMode.equalsIgnoreCase("mixed")) sb.append(" --fault-mode ").append(faultMode);
    if (noMembership) sb.append(" --no-membership");
    if (noJitter) sb.append(" --no-jitter");
    if (noFaults) sb.append(" --no-faults");
    if (preVote != null) sb.append(" --prevote ").append(preVote);
    if (checkQuorum != null) sb.append(" --checkquorum ").append(checkQuorum);
    if (durationMs != Params.SIM_DURATION_MS) sb.append(" --duration ").append(durationMs);
    return sb.append(" --verbose").toString();
  }

  private void printReport(PrintWriter out, SimReport rep, long from, long to, double secs) {
    out.printf(Locale.ROOT, "raft-sim: %d schedules of %d nodes (seeds %d-%d), %d violations (%.1f s)%n",
        rep.schedules, nodes, from, to, rep.violations(), secs);
    out.printf(Locale.ROOT, "  elections %d; split votes: %.1f%% of %d candidate terms ended without a leader%n",
        rep.elections, 100 * rep.splitVoteRate(), rep.candidateTerms);
    out.printf(Locale.ROOT, "  faults: %d crashes; %d InstallSnapshot deliveries; %d messages%n", rep.crashes, rep.snapshots, rep.messages);
    out.printf(Locale.ROOT, "  leader churn (Figure 8's conditions): %d schedules, %d leaders partitioned away%n",
        rep.leaderChurnSchedules, rep.churnIsolations);
    out.printf(Locale.ROOT, "  membership: %d changes applied, %d members added from empty storage, %d restarts right after a change%n",
        rep.membershipChanges, rep.joins, rep.restartsAfterConfChange);
    out.printf(Locale.ROOT, "  clients: %d operations checked for linearizability (%d deletes, %d txns; %d timed out, outcome unknown)%n",
        rep.operations, rep.deletes, rep.txns, rep.unknown);
    if (rep.checkUnknown > 0) out.printf("  the checker gave up (step budget) on %d schedules: no verdict for those%n", rep.checkUnknown);
    List<SimResult> failures = rep.failures();
    for (int i = 0; i < Math.min(10, failures.size()); i++) {
      SimResult f = failures.get(i);
      out.println("  seed " + f.seed() + ": " + f.violations().get(0).replace("\n", "\n    "));
    }
    if (failures.size() > 10) out.println("  ... and " + (failures.size() - 10) + " more failing seeds");
    if (!failures.isEmpty()) {
      out.printf(Locale.ROOT, "first violation at seed %d: %d seeds run to catch it%n", failures.get(0).seed(), failures.get(0).seed() - from + 1);
      out.println("replay one: " + replayHint(failures.get(0).seed()));
    }
  }

  private Map<String, Object> jsonReport(SimReport rep, long from, long to, double secs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schedules", rep.schedules);
    m.put("violations", rep.violations());
    m.put("nodes", nodes);
    m.put("seeds", from + "-" + to);
    List<Long> failing = new ArrayList<>();
    List<Map<String, Object>> details = new ArrayList<>();
    for (SimResult f : rep.failures()) {
      failing.add(f.seed());
      if (details.size() < 20) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("seed", f.seed());
        d.put("violation", f.violations().get(0));
        d.put("replay", replayHint(f.seed()));
        details.add(d);
      }
    }
    m.put("failing_seeds", failing);
    m.put("seeds_to_first_violation", failing.isEmpty() ? null : failing.get(0) - from + 1);
    m.put("failures", details);
    m.put("elections", rep.elections);
    m.put("candidate_terms", rep.candidateTerms);
    m.put("split_vote_rate", rep.splitVoteRate());
    m.put("crashes", rep.crashes);
    m.put("snapshots", rep.snapshots);
    m.put("messages", rep.messages);
    m.put("operations", rep.operations);
    m.put("unknown_operations", rep.unknown);
    m.put("check_gave_up", rep.checkUnknown);
    m.put("bug", bug == null ? "none" : bug);
    m.put("fault_mode", faultMode.toLowerCase(Locale.ROOT));
    m.put("leader_churn_schedules", rep.leaderChurnSchedules);
    m.put("churn_isolations", rep.churnIsolations);
    m.put("membership", !noMembership);
    m.put("membership_changes", rep.membershipChanges);
    m.put("joins", rep.joins);
    m.put("restarts_after_conf_change", rep.restartsAfterConfChange);
    m.put("deletes", rep.deletes);
    m.put("txns", rep.txns);
    m.put("seconds", secs);
    return m;
  }

  private int runScript(PrintWriter out, PrintWriter err) throws IOException {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such script: " + script);
    }
    ScenarioRunner.Result r = ScenarioRunner.run(text, true);
    out.print(r.transcript());
    out.flush();
    if (!r.passed()) {
      err.println("lab: " + r.firstFailure(script.toString()));
      err.flush();
      return 1;
    }
    return 0;
  }
}
