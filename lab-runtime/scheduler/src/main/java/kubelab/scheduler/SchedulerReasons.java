package kubelab.scheduler;

/**
 * Every reason fragment and message a learner meets in a FailedScheduling event, in one place.
 *
 * <p>The strings are Kubernetes v1.32's (pkg/scheduler/framework/plugins/..., pkg/scheduler
 * schedule_one.go and the DefaultPreemption plugin). They drift between releases (v1.26 ended the
 * preemption part with "..", v1.34 made NodeResourcesFit unresolvable for pods bigger than a
 * node): when following a newer release, change them here and nowhere else. Tests compare the
 * whole "0/N nodes are available" line character by character.
 */
public final class SchedulerReasons {
  private SchedulerReasons() {}

  /** The Kubernetes release these strings follow. */
  public static final String KUBERNETES_VERSION = "v1.32";

  // FitError (framework/types.go)
  /** {@code String.format(NO_NODE_AVAILABLE, n)} starts every fit error. */
  public static final String NO_NODE_AVAILABLE = "0/%d nodes are available";
  public static final String NO_NODES_AVAILABLE_TO_SCHEDULE = "no nodes available to schedule pods";

  // NodeResourcesFit
  public static final String INSUFFICIENT_PREFIX = "Insufficient ";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";
  public static final String INSUFFICIENT_EPHEMERAL_STORAGE = "Insufficient ephemeral-storage";
  public static final String TOO_MANY_PODS = "Too many pods";

  // NodeName, NodeUnschedulable, NodePorts
  public static final String NODE_NAME_MISMATCH = "node(s) didn't match the requested node name";
  public static final String NODE_UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

  // NodeAffinity
  public static final String NODE_AFFINITY_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

  // TaintToleration: "node(s) had untolerated taint {key: value}"
  public static final String UNTOLERATED_TAINT_FORMAT = "node(s) had untolerated taint {%s: %s}";

  // InterPodAffinity
  public static final String POD_AFFINITY_MISMATCH = "node(s) didn't match pod affinity rules";
  public static final String POD_ANTI_AFFINITY_MISMATCH = "node(s) didn't match pod anti-affinity rules";
  public static final String EXISTING_PODS_ANTI_AFFINITY_MISMATCH =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  // PodTopologySpread
  public static final String TOPOLOGY_SPREAD_MISMATCH = "node(s) didn't match pod topology spread constraints";
  public static final String TOPOLOGY_SPREAD_MISSING_LABEL =
      TOPOLOGY_SPREAD_MISMATCH + " (missing required label)";

  // VolumeBinding
  public static final String UNBOUND_IMMEDIATE_PVC = "pod has unbound immediate PersistentVolumeClaims";
  public static final String PVC_NOT_FOUND_FORMAT = "persistentvolumeclaim \"%s\" not found";
  public static final String PVC_BEING_DELETED_FORMAT = "persistentvolumeclaim \"%s\" is being deleted";
  public static final String VOLUME_NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String VOLUME_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
  public static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

  // DefaultPreemption (PostFilter); the plugin prefixes its message with "preemption: ".
  public static final String PREEMPTION_PREFIX = "preemption: ";
  public static final String NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";
  public static final String PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String PREEMPTION_POLICY_NEVER = "not eligible due to preemptionPolicy=Never.";
  public static final String PREEMPTION_TERMINATING_ON_NOMINATED =
      "not eligible due to a terminating pod on the nominated node.";
  public static final String NO_CANDIDATE_NODE = "no candidate node for preemption";

  // Events (schedule_one.go, preemption.go) and the PodScheduled condition.
  public static final String EVENT_SCHEDULED = "Scheduled";
  public static final String EVENT_FAILED_SCHEDULING = "FailedScheduling";
  public static final String EVENT_PREEMPTED = "Preempted";
  /** {@code Successfully assigned <namespace>/<name> to <node>}. */
  public static final String SCHEDULED_FORMAT = "Successfully assigned %s/%s to %s";
  /** {@code Preempted by pod <uid> on node <node>}, on the victim. */
  public static final String PREEMPTED_FORMAT = "Preempted by pod %s on node %s";
  public static final String CONDITION_POD_SCHEDULED = "PodScheduled";
  public static final String REASON_UNSCHEDULABLE = "Unschedulable";
  public static final String REASON_SCHEDULER_ERROR = "SchedulerError";
  /** The DisruptionTarget condition preemption puts on a victim before deleting it. */
  public static final String CONDITION_DISRUPTION_TARGET = "DisruptionTarget";
  public static final String REASON_PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";
  public static final String PREEMPTING_FORMAT = "%s: preempting to accommodate a higher priority pod";

  // Well-known labels and taints (k8s.io/api/core/v1 well_known_labels.go / well_known_taints.go).
  public static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
  public static final String LABEL_ZONE = "topology.kubernetes.io/zone";
  public static final String TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String TAINT_NOT_READY = "node.kubernetes.io/not-ready";
  public static final String TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String TAINT_MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
  public static final String TAINT_DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
  public static final String TAINT_PID_PRESSURE = "node.kubernetes.io/pid-pressure";
  public static final String TAINT_NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
  public static final String TAINT_CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

  /** The TaintToleration reason for one taint, formatted exactly as the plugin does. */
  public static String untoleratedTaint(String key, String value) {
    return String.format(UNTOLERATED_TAINT_FORMAT, key, value == null ? "" : value);
  }

  /** {@code Insufficient <resource>} for any resource name (extended resources included). */
  public static String insufficient(String resource) {
    return switch (resource) {
      case "cpu" -> INSUFFICIENT_CPU;
      case "memory" -> INSUFFICIENT_MEMORY;
      case "ephemeral-storage" -> INSUFFICIENT_EPHEMERAL_STORAGE;
      default -> INSUFFICIENT_PREFIX + resource;
    };
  }
}
