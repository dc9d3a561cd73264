package kubelab.scheduler.config;

/**
 * The default profile's plugins, in kube-scheduler v1.32's order (pkg/scheduler/apis/config/v1
 * default_plugins.go), enabled through multiPoint with their default Score weights.
 *
 * <p>Of v1.32's list KubeLab leaves out VolumeRestrictions, NodeVolumeLimits and VolumeZone (no
 * CSI drivers or zonal volume plugins here); VolumeBinding is the "lite" version.
 */
public final class DefaultPlugins {
  private DefaultPlugins() {}

  public static PluginSet multiPoint() {
    PluginSet s = new PluginSet();
    add(s, "SchedulingGates", 0);
    add(s, "PrioritySort", 0);
    add(s, "NodeUnschedulable", 0);
    add(s, "NodeName", 0);
    add(s, "TaintToleration", 3);
    add(s, "NodeAffinity", 2);
    add(s, "NodePorts", 0);
    add(s, "NodeResourcesFit", 1);
    add(s, "VolumeBinding", 0);
    add(s, "PodTopologySpread", 2);
    add(s, "InterPodAffinity", 2);
    add(s, "DefaultPreemption", 0);
    add(s, "NodeResourcesBalancedAllocation", 1);
    add(s, "ImageLocality", 1);
    add(s, "DefaultBinder", 0);
    return s;
  }

  private static void add(PluginSet s, String name, int weight) {
    s.enabled.add(new PluginSet.Entry(name, weight));
  }
}
