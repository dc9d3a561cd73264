package kubelab.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import kubelab.scheduler.InMemoryCluster;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.WaitingPods;
import kubelab.scheduler.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {
  static Framework framework(Profile p) {
    FrameworkHandle h = new FrameworkHandle(new Snapshot(), ClusterObjects.NONE, new InMemoryCluster(), Clock.systemUTC(),
        new Nominator(), new Parallelizer(1), new WaitingPods());
    return new Framework(p, PluginRegistry.inTree(), h);
  }

  @Test
  void theDefaultProfileHasKubernetes132sPluginsAndWeights() {
    Framework f = framework(SchedulerConfiguration.defaults().profiles.get(0));
    assertEquals(List.of("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
        "VolumeBinding", "PodTopologySpread", "InterPodAffinity"), f.pluginNames(ExtensionPoint.FILTER));
    assertEquals(List.of("TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity",
        "NodeResourcesBalancedAllocation", "ImageLocality"), f.scorePluginNames());
    List<Long> weights = new java.util.ArrayList<>();
    for (int i = 0; i < f.scorePluginNames().size(); i++) weights.add(f.scoreWeight(i));
    assertEquals(List.of(3L, 2L, 1L, 2L, 2L, 1L, 1L), weights);
    assertEquals(List.of("DefaultPreemption"), f.pluginNames(ExtensionPoint.POST_FILTER));
    assertEquals(List.of("PrioritySort"), f.pluginNames(ExtensionPoint.QUEUE_SORT));
    assertEquals(List.of("SchedulingGates"), f.pluginNames(ExtensionPoint.PRE_ENQUEUE));
    assertEquals(List.of("DefaultBinder"), f.pluginNames(ExtensionPoint.BIND));
  }

  @Test
  void aYamlProfileDisablesPluginsAndSetsWeightsAndArgs() {
    SchedulerConfiguration c = SchedulerConfiguration.parse("""
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        percentageOfNodesToScore: 50
        profiles:
        - schedulerName: default-scheduler
          plugins:
            multiPoint:
              disabled:
              - name: ImageLocality
            score:
              enabled:
              - name: NodeResourcesFit
                weight: 5
              disabled:
              - name: NodeResourcesBalancedAllocation
          pluginConfig:
          - name: NodeResourcesFit
            args:
              scoringStrategy:
                type: MostAllocated
        - schedulerName: bin-packer
        """);
    assertEquals(50, c.percentageOfNodesToScore);
    assertEquals(2, c.profiles.size());
    Framework f = framework(c.profiles.get(0));
    assertEquals(List.of("NodeResourcesFit", "TaintToleration", "NodeAffinity", "PodTopologySpread", "InterPodAffinity"),
        f.scorePluginNames(), "the re-configured plugin comes first, as kube-scheduler orders overrides");
    assertEquals(5, f.scoreWeight(0));
    assertFalse(f.plugins().containsKey("ImageLocality"));
    assertTrue(f.pluginNames(ExtensionPoint.FILTER).contains("NodeResourcesFit"), "disabling Score leaves Filter");
  }

  @Test
  void disablingStarAtAPointLeavesOnlyTheExplicitlyEnabled() {
    Profile p = Profile.defaults("x");
    p.point(ExtensionPoint.SCORE).disabled.add("*");
    p.point(ExtensionPoint.SCORE).enabled.add(new PluginSet.Entry("ImageLocality", 0));
    assertEquals(List.of("ImageLocality"), framework(p).scorePluginNames());
  }

  @Test
  void profileDisableRemovesOnePluginFromOnePoint() {
    Profile p = Profile.defaults("x");
    p.disable(ExtensionPoint.SCORE, "ImageLocality");
    Framework f = framework(p);
    assertFalse(f.scorePluginNames().contains("ImageLocality"));
  }

  @Test
  void errorsNameTheFieldAtFault() {
    assertEquals("profiles[0].plugins.score.enabled[0].weight: must be an integer, not \"heavy\"",
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfiguration.parse("""
            profiles:
            - plugins:
                score:
                  enabled: [{name: NodeResourcesFit, weight: heavy}]
            """)).getMessage());
    assertEquals("scheduler configuration: unknown field \"percentageOfNodes\"",
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfiguration.parse("percentageOfNodes: 5")).getMessage());
    assertEquals("percentageOfNodesToScore: must be between 0 and 100, not 150",
        assertThrows(IllegalArgumentException.class, () -> SchedulerConfiguration.parse("percentageOfNodesToScore: 150")).getMessage());
  }

  @Test
  void anUnknownPluginIsRejectedWithTheKnownOnes() {
    Profile p = Profile.defaults("x");
    p.multiPoint.enabled.add(new PluginSet.Entry("MagicFit", 0));
    var e = assertThrows(IllegalArgumentException.class, () -> framework(p));
    assertTrue(e.getMessage().startsWith("profile \"x\": plugin \"MagicFit\" does not exist (known: DefaultBinder, "), e.getMessage());
  }

  @Test
  void aPluginEnabledAtAPointItDoesNotImplementIsRejected() {
    Profile p = Profile.defaults("x");
    p.point(ExtensionPoint.SCORE).enabled.add(new PluginSet.Entry("NodeName", 1));
    assertEquals("profile \"x\": plugin \"NodeName\" does not extend Score plugin",
        assertThrows(IllegalArgumentException.class, () -> framework(p)).getMessage());
  }
}
