package kubelab.scheduler.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.testing.MakeNode;
import kubelab.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  SchedulerCache cache() {
    SchedulerCache c = new SchedulerCache();
    c.addNode(MakeNode.named("n1").capacity("2", "4Gi", 110).obj());
    c.addNode(MakeNode.named("n2").capacity("2", "4Gi", 110).obj());
    return c;
  }

  PodInfo pod(String name, String node, String cpu) {
    return new PodInfo(MakePod.named(name).node(node).req("cpu", cpu).obj());
  }

  @Test
  void anAssumedPodUsesItsNodesResourcesBeforeItIsBound() {
    SchedulerCache c = cache();
    c.assumePod(pod("p", "n1", "1500m"));
    Snapshot s = c.snapshot();
    assertEquals(1500, s.get("n1").requested().milliCpu);
    assertTrue(c.isAssumedPod("default/p"));
  }

  @Test
  void forgettingAnAssumedPodGivesTheResourcesBack() {
    SchedulerCache c = cache();
    c.assumePod(pod("p", "n1", "1500m"));
    c.forgetPod("default/p");
    assertEquals(0, c.snapshot().get("n1").requested().milliCpu);
    assertFalse(c.hasPod("default/p"));
  }

  @Test
  void theInformersAddConfirmsTheAssumption() {
    SchedulerCache c = cache();
    c.assumePod(pod("p", "n1", "1"));
    c.addPod(pod("p", "n1", "1"));
    assertFalse(c.isAssumedPod("default/p"));
    assertEquals(1000, c.snapshot().get("n1").requested().milliCpu, "counted once");
  }

  @Test
  void aPodBoundElsewhereThanAssumedMoves() {
    SchedulerCache c = cache();
    c.assumePod(pod("p", "n1", "1"));
    c.addPod(pod("p", "n2", "1"));
    Snapshot s = c.snapshot();
    assertEquals(0, s.get("n1").requested().milliCpu);
    assertEquals(1000, s.get("n2").requested().milliCpu);
  }

  @Test
  void assumingACachedPodTwiceFails() {
    SchedulerCache c = cache();
    c.assumePod(pod("p", "n1", "1"));
    assertThrows(IllegalStateException.class, () -> c.assumePod(pod("p", "n2", "1")));
  }

  @Test
  void aSnapshotUpdateCopiesOnlyNodesThatChanged() {
    SchedulerCache c = cache();
    Snapshot s = new Snapshot();
    c.updateSnapshot(s);
    NodeInfo n1 = s.get("n1");
    NodeInfo n2 = s.get("n2");
    long g2 = n2.generation();
    c.assumePod(pod("p", "n1", "1"));
    c.updateSnapshot(s);
    assertSame(n1, s.get("n1"), "refreshed in place");
    assertEquals(1000, n1.requested().milliCpu);
    assertEquals(g2, s.get("n2").generation(), "n2 untouched");
  }

  @Test
  void removedNodesLeaveTheSnapshotAndPodsForUnknownNodesWait() {
    SchedulerCache c = cache();
    Snapshot s = new Snapshot();
    c.addPod(pod("early", "n3", "1"));
    c.updateSnapshot(s);
    assertNull(s.get("n3"), "no Node object yet");
    c.addNode(MakeNode.named("n3").capacity("2", "4Gi", 110).obj());
    c.updateSnapshot(s);
    assertEquals(1000, s.get("n3").requested().milliCpu);
    c.removeNode("n1");
    c.updateSnapshot(s);
    assertNull(s.get("n1"));
    assertEquals(List.of("n2", "n3"), s.list().stream().map(NodeInfo::name).sorted().toList());
  }

  @Test
  void nodesAreListedRoundRobinAcrossZones() {
    SchedulerCache c = new SchedulerCache();
    for (String n : new String[] {"a1", "a2", "a3", "b1", "c1"}) {
      c.addNode(MakeNode.named(n).label("topology.kubernetes.io/zone", n.substring(0, 1)).obj());
    }
    assertEquals(List.of("a1", "b1", "c1", "a2", "a3"), c.snapshot().list().stream().map(NodeInfo::name).toList());
  }
}
