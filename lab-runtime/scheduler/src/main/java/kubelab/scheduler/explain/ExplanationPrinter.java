package kubelab.scheduler.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kubelab.scheduler.config.ExtensionPoint;
import kubelab.scheduler.framework.Framework;

/**
 * Renders an {@link Explanation} for a terminal: a FILTER table (plugins × nodes: ✓ pass,
 * ✗ reject, · skipped for this pod) with the reasons below it, a SCORE table (per plugin
 * {@code raw → normalized × weight = weighted}) for the best-scoring nodes, and the verdict.
 * Shows at most {@code maxNodes} node columns (the rejected nodes' reasons are still counted in
 * the FailedScheduling line); {@code --json} has everything.
 */
public final class ExplanationPrinter {
  private ExplanationPrinter() {}

  public static String text(Explanation e, int maxNodes) {
    StringBuilder sb = new StringBuilder();
    sb.append("Scheduling ").append(e.pod());
    if (e.schedulerName() != null) sb.append(" with profile ").append(e.schedulerName());
    sb.append(" on ").append(e.numNodes()).append(e.numNodes() == 1 ? " node" : " nodes")
        .append(" (Kubernetes ").append(e.kubernetesVersion()).append(" plugins and wording)\n");
    for (String n : e.notes()) sb.append("note: ").append(n).append('\n');
    if (e.schedulerName() == null) {
      sb.append("\nRESULT  ").append(e.why()).append('\n');
      return sb.toString();
    }

    // Which nodes to show: the scored ones by total, then the rejected ones.
    List<Explanation.NodeResult> shown = new ArrayList<>(e.nodes());
    shown.sort(Comparator.comparing((Explanation.NodeResult r) -> !r.feasible())
        .thenComparing(r -> r.total() == null ? 0 : -r.total()));
    int hidden = Math.max(0, shown.size() - maxNodes);
    if (hidden > 0) shown = shown.subList(0, maxNodes);

    int pw = "FILTER".length();
    for (String p : e.filterPlugins()) pw = Math.max(pw, p.length());
    for (Explanation.ScorePluginInfo s : e.scorePlugins()) pw = Math.max(pw, s.name().length() + 4);
    pw += 2;
    int cw = 8;
    for (Explanation.NodeResult r : shown) cw = Math.max(cw, r.node().length() + 2);

    boolean anyFilters = shown.stream().anyMatch(r -> !r.filters().isEmpty());
    sb.append('\n').append(pad("FILTER", pw));
    for (Explanation.NodeResult r : shown) sb.append(pad(r.node(), cw));
    sb.append('\n');
    if (anyFilters) {
      for (int p = 0; p < e.filterPlugins().size(); p++) {
        sb.append(pad(e.filterPlugins().get(p), pw));
        for (Explanation.NodeResult r : shown) {
          String mark = r.filters().isEmpty() ? "-" : switch (r.filters().get(p).code()) {
            case "Success" -> "✓";
            case "Skip" -> "·";
            default -> "✗";
          };
          sb.append(pad(mark, cw));
        }
        sb.append('\n');
      }
      sb.append(pad("", 2)).append("✓ passes   ✗ rejects   · skipped: nothing to check for this pod\n");
    }
    for (Explanation.NodeResult r : shown) {
      if (r.feasible()) continue;
      sb.append("  ").append(r.node()).append(": ").append(r.rejectedBy()).append(": ").append(String.join(", ", r.reasons())).append('\n');
    }
    if (hidden > 0) sb.append("  … ").append(hidden).append(" more nodes not shown (--max-nodes, or --json for all)\n");

    if (e.feasible() > 0) {
      List<Explanation.NodeResult> scored = shown.stream().filter(Explanation.NodeResult::feasible).toList();
      sb.append('\n').append(pad("SCORE  raw → normalized × weight", Math.max(pw, 34)));
      int sw = Math.max(cw, 20);
      for (Explanation.NodeResult r : scored) sb.append(pad(r.node(), sw));
      sb.append('\n');
      for (int p = 0; p < e.scorePlugins().size(); p++) {
        Explanation.ScorePluginInfo info = e.scorePlugins().get(p);
        sb.append(pad(info.name() + " ×" + info.weight(), Math.max(pw, 34)));
        for (Explanation.NodeResult r : scored) {
          Explanation.ScoreEntry s = r.scores().get(p);
          String cell = s.skipped() ? "·"
              : s.raw() == s.normalized() ? s.normalized() + " = " + s.weighted() : s.raw() + " → " + s.normalized() + " = " + s.weighted();
          sb.append(pad(cell, sw));
        }
        sb.append('\n');
      }
      sb.append(pad("TOTAL", Math.max(pw, 34)));
      for (Explanation.NodeResult r : scored) sb.append(pad(String.valueOf(r.total()), sw));
      sb.append('\n');
      sb.append(pad("", 2)).append("· skipped: nothing to score for this pod\n");
      sb.append("\nWINNER  ").append(e.winner()).append(": ").append(e.why()).append('\n');
    } else {
      sb.append("\nRESULT  ").append(e.why()).append(". FailedScheduling:\n  ").append(e.message()).append('\n');
      if (!e.preemption().isEmpty()) {
        sb.append("PREEMPTION (dry run: an explanation changes nothing)\n");
        for (String a : e.preemption()) sb.append("  would ").append(a).append('\n');
      }
    }
    return sb.toString();
  }

  /** The enabled plugins per extension point, with Score weights (`lab explain scheduling --plugins`). */
  public static String plugins(Framework f) {
    StringBuilder sb = new StringBuilder("Profile ").append(f.schedulerName()).append('\n');
    for (ExtensionPoint p : ExtensionPoint.values()) {
      List<String> names = f.pluginNames(p);
      if (p == ExtensionPoint.SCORE) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) w.add(names.get(i) + " (weight " + f.scoreWeight(i) + ")");
        names = w;
      }
      sb.append(pad(p.title(), 12)).append(names.isEmpty() ? "-" : String.join(", ", names)).append('\n');
    }
    return sb.toString();
  }

  private static String pad(String s, int w) {
    int len = s.codePointCount(0, s.length());
    return len >= w ? s + " " : s + " ".repeat(w - len);
  }
}
