package kubelab.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "0/N nodes are available" line, character by character (STYLE.md 7; SchedulerReasons v1.32). */
class FitErrorTest {
  static Status unschedulable(String... r) {
    return Status.unschedulable(r);
  }

  @Test
  void theIssueMessageIsBuiltExactly() {
    NodeToStatus m = new NodeToStatus();
    m.set("node-1", Status.unschedulable("Insufficient cpu"));
    m.set("cp-1", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
    m.set("cp-2", Status.unresolvable("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"));
    FitError fe = new FitError(null, 3, m, "", null);
    NodeToStatus preemption = new NodeToStatus();
    for (String n : new String[] {"node-1", "cp-1", "cp-2"}) preemption.set(n, Status.unresolvable("No preemption victims found for incoming pod"));
    fe.setPostFilterMsg("preemption: " + new FitError(null, 3, preemption, "", null).message());
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
        + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
        + "3 No preemption victims found for incoming pod.", fe.message());
  }

  @Test
  void theExerciseMessageSortsTheFormattedReasons() {
    Map<String, Status> per = new LinkedHashMap<>();
    per.put("node-1", Status.unresolvable("node(s) had untolerated taint {gpu: true}"));
    per.put("node-2", Status.unschedulable("Insufficient cpu"));
    per.put("node-3", Status.unschedulable("Insufficient cpu"));
    assertEquals("0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 Insufficient cpu.",
        FitError.message(3, per));
  }

  @Test
  void oneNodeMayContributeSeveralReasons() {
    Map<String, Status> per = new LinkedHashMap<>();
    per.put("a", unschedulable("Insufficient cpu", "Insufficient memory"));
    per.put("b", unschedulable("Insufficient cpu"));
    assertEquals("0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.", FitError.message(2, per));
  }

  @Test
  void sortingIsOnStringsSoTenSortsBeforeTwo() {
    NodeToStatus m = new NodeToStatus();
    for (int i = 0; i < 10; i++) m.set("x" + i, unschedulable("Insufficient cpu"));
    m.set("y0", Status.unresolvable("node(s) were unschedulable"));
    m.set("y1", Status.unresolvable("node(s) were unschedulable"));
    assertEquals("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) were unschedulable.",
        new FitError(null, 12, m, "", null).message());
  }

  @Test
  void nodesWithoutAnExplicitStatusCountWithTheAbsentStatus() {
    NodeToStatus m = new NodeToStatus();
    m.set("a", unschedulable("Insufficient cpu"));
    m.setAbsentNodesStatus(Status.unresolvable("Preemption is not helpful for scheduling"));
    assertEquals("0/3 nodes are available: 1 Insufficient cpu, 2 Preemption is not helpful for scheduling.",
        new FitError(null, 3, m, "", null).message());
  }

  @Test
  void aPreFilterMessageReplacesTheHistogram() {
    NodeToStatus m = new NodeToStatus();
    m.setAbsentNodesStatus(Status.unresolvable("pod has unbound immediate PersistentVolumeClaims"));
    FitError fe = new FitError(null, 3, m, "pod has unbound immediate PersistentVolumeClaims", null);
    fe.setPostFilterMsg("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    assertEquals("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", fe.message());
  }

  @Test
  void preemptionPolicyNeverEndsWithItsOwnPeriod() {
    NodeToStatus m = new NodeToStatus();
    m.set("a", unschedulable("Insufficient cpu"));
    FitError fe = new FitError(null, 1, m, "", null);
    fe.setPostFilterMsg("preemption: not eligible due to preemptionPolicy=Never.");
    assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.", fe.message());
  }
}
