package kubelab.scheduler.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kubelab.api.Json;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  static List<Node> nodes() {
    return List.of(
        MakeNode.named("node-1").capacity("2", "4Gi", 110).obj(),
        MakeNode.named("node-2").capacity("4", "8Gi", 110).obj(),
        MakeNode.named("node-3").capacity("4", "8Gi", 110).taint("dedicated", "gpu", "NoSchedule").obj());
  }

  static List<Pod> bound() {
    return List.of(MakePod.named("filler").node("node-1").req("cpu", "1500m").obj(),
        MakePod.named("other").node("node-2").req("cpu", "1").req("memory", "1Gi").obj());
  }

  @Test
  void everyFilterVerdictOfEveryNodeIsRecordedNotJustTheFirstRejection() {
    Explanation e = new Explainer().explain(MakePod.named("web").req("cpu", "1").obj(), nodes(), bound());
    assertEquals("default/web", e.pod());
    assertEquals(1, e.feasible());
    assertEquals("node-2", e.winner());
    assertEquals("node-2 is the only node that passes every filter", e.why());
    var n1 = e.nodes().get(0);
    assertEquals("node-1", n1.node());
    assertEquals("NodeResourcesFit", n1.rejectedBy());
    assertEquals(List.of("Insufficient cpu"), n1.reasons());
    assertEquals(e.filterPlugins().size(), n1.filters().size());
    var n3 = e.nodes().get(2);
    assertEquals("TaintToleration", n3.rejectedBy());
    assertEquals(List.of("node(s) had untolerated taint {dedicated: gpu}"), n3.reasons());
    assertEquals("Success", n3.filters().get(e.filterPlugins().indexOf("NodeResourcesFit")).code(), "later plugins still ran");
    assertEquals("Skip", n3.filters().get(e.filterPlugins().indexOf("NodePorts")).code());
  }

  @Test
  void scoresShowRawNormalizedWeightAndWeighted() {
    List<Node> ns = List.of(MakeNode.named("a").capacity("10", "10Gi", 110).obj(), MakeNode.named("b").capacity("10", "10Gi", 110).obj());
    List<Pod> ps = List.of(MakePod.named("x").node("a").req("cpu", "5").req("memory", "5Gi").obj());
    Explanation e = new Explainer().explain(MakePod.named("web").req("cpu", "1").req("memory", "1Gi").obj(), ns, ps);
    assertEquals("b", e.winner());
    var b = e.nodes().stream().filter(r -> r.node().equals("b")).findFirst().orElseThrow();
    var fit = b.scores().get(e.scorePlugins().stream().map(Explanation.ScorePluginInfo::name).toList().indexOf("NodeResourcesFit"));
    assertEquals(90, fit.raw());
    assertEquals(90, fit.normalized());
    assertEquals(1, fit.weight());
    assertEquals(90, fit.weighted());
    var taint = b.scores().get(0);
    assertEquals("TaintToleration", taint.plugin());
    assertEquals(0, taint.raw());
    assertEquals(100, taint.normalized(), "NormalizeScore reverses the count");
    assertEquals(300, taint.weighted());
    long sum = b.scores().stream().mapToLong(Explanation.ScoreEntry::weighted).sum();
    assertEquals(sum, b.total());
    assertTrue(e.why().startsWith("b has the highest total, " + b.total() + " (runner-up a: "), e.why());
    assertEquals("NodeResourcesFit", e.decidingPlugin());
  }

  @Test
  void anUnschedulablePodGetsTheFailedSchedulingMessageAndADryRunOfPreemption() {
    List<Node> ns = List.of(MakeNode.named("node-1").capacity("1", "4Gi", 110).obj());
    List<Pod> ps = List.of(MakePod.named("low").node("node-1").req("cpu", "1").obj());
    Explanation e = new Explainer().explain(MakePod.named("vip").priority(1000).req("cpu", "1").obj(), ns, ps);
    assertNull(e.winner());
    assertEquals("0/1 nodes are available: 1 Insufficient cpu.", e.message(), "preemption would succeed, so no preemption part");
    assertTrue(e.preemption().contains("evict default/low (priority 0) with a 30s grace period"), e.preemption().toString());
    assertTrue(e.preemption().get(0).startsWith("nominate the pod to node-1"));
  }

  @Test
  void aBoundPodIsReplayedWithoutItself() {
    Pod web = MakePod.named("web").node("node-2").req("cpu", "1").obj();
    List<Pod> ps = new java.util.ArrayList<>(bound());
    ps.add(web);
    Explanation e = new Explainer().explain(web, nodes(), ps);
    assertEquals("node-2", e.winner());
    assertTrue(e.notes().get(0).startsWith("the pod is bound to node-2"));
  }

  @Test
  void anUnknownSchedulerNameIsTheExplanation() {
    Explanation e = new Explainer().explain(MakePod.named("web").schedulerName("my-scheduler").obj(), nodes(), List.of());
    assertNull(e.schedulerName());
    assertTrue(e.notes().get(0).contains("stays Pending with no events at all"));
  }

  @Test
  void theJsonFormHasTheFieldsAndTheTextFormTheTables() {
    Explanation e = new Explainer().explain(MakePod.named("web").req("cpu", "1").obj(), nodes(), bound());
    String json = Json.toJson(e);
    assertTrue(json.contains("\"winner\":\"node-2\""), json);
    assertTrue(json.contains("\"filters\":[{\"plugin\":\"NodeUnschedulable\",\"code\":\"Success\",\"reasons\":[]}"), json);
    String text = ExplanationPrinter.text(e, 10);
    assertTrue(text.contains("FILTER"), text);
    assertTrue(text.contains("node-1: NodeResourcesFit: Insufficient cpu"), text);
    assertTrue(text.contains("WINNER  node-2: node-2 is the only node that passes every filter"), text);
    assertFalse(text.contains("null"), text);
  }
}
