package kubelab.scheduler.plugins;

import java.util.LinkedHashMap;
import java.util.Map;
import kubelab.scheduler.framework.PluginFactory;
import kubelab.scheduler.plugins.defaultbinder.DefaultBinder;
import kubelab.scheduler.plugins.defaultpreemption.DefaultPreemption;
import kubelab.scheduler.plugins.imagelocality.ImageLocality;
import kubelab.scheduler.plugins.interpodaffinity.InterPodAffinity;
import kubelab.scheduler.plugins.nodeaffinity.NodeAffinity;
import kubelab.scheduler.plugins.nodename.NodeName;
import kubelab.scheduler.plugins.nodeports.NodePorts;
import kubelab.scheduler.plugins.noderesources.NodeResourcesBalancedAllocation;
import kubelab.scheduler.plugins.noderesources.NodeResourcesFit;
import kubelab.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import kubelab.scheduler.plugins.podtopologyspread.PodTopologySpread;
import kubelab.scheduler.plugins.queuesort.PrioritySort;
import kubelab.scheduler.plugins.schedulinggates.SchedulingGates;
import kubelab.scheduler.plugins.tainttoleration.TaintToleration;
import kubelab.scheduler.plugins.volumebinding.VolumeBinding;

/**
 * Every in-tree plugin by name, in one map (Kubernetes' plugins/registry.go). A profile can only
 * name plugins found here (or in a registry a caller extends with its own, e.g. an exercise's
 * learner-written plugin: {@code var r = PluginRegistry.inTree(); r.put("MyPlugin", (a, h) -> new MyPlugin());}).
 */
public final class PluginRegistry {
  private PluginRegistry() {}

  /** A new, mutable map: name → factory. */
  public static Map<String, PluginFactory> inTree() {
    Map<String, PluginFactory> r = new LinkedHashMap<>();
    r.put(SchedulingGates.NAME, (args, h) -> new SchedulingGates());
    r.put(PrioritySort.NAME, (args, h) -> new PrioritySort());
    r.put(NodeUnschedulable.NAME, (args, h) -> new NodeUnschedulable());
    r.put(NodeName.NAME, (args, h) -> new NodeName());
    r.put(TaintToleration.NAME, (args, h) -> new TaintToleration());
    r.put(NodeAffinity.NAME, (args, h) -> new NodeAffinity());
    r.put(NodePorts.NAME, (args, h) -> new NodePorts());
    r.put(NodeResourcesFit.NAME, (args, h) -> new NodeResourcesFit(args));
    r.put(VolumeBinding.NAME, (args, h) -> new VolumeBinding(h));
    r.put(PodTopologySpread.NAME, PodTopologySpread::new);
    r.put(InterPodAffinity.NAME, InterPodAffinity::new);
    r.put(DefaultPreemption.NAME, DefaultPreemption::new);
    r.put(NodeResourcesBalancedAllocation.NAME, (args, h) -> new NodeResourcesBalancedAllocation(args));
    r.put(ImageLocality.NAME, (args, h) -> new ImageLocality(h));
    r.put(DefaultBinder.NAME, (args, h) -> new DefaultBinder(h));
    return r;
  }
}
