package kubelab.scheduler.framework;

/**
 * A change in the cluster that may make an unschedulable pod schedulable: a resource and a set of
 * actions (Kubernetes' ClusterEvent, e.g. NodeAdd, AssignedPodDelete, NodeUpdate of the label).
 *
 * <p>Plugins register the events that can undo their rejections ({@link EnqueueExtensions}); when
 * such an event happens, the queue moves the pods those plugins rejected back to activeQ (or to
 * backoffQ while they are still backing off). This is the queueing-hint mechanism reduced to its
 * core: "could this event change my verdict?" answered per plugin, not per pod.
 */
public record ClusterEvent(Resource resource, int actions) {

  public enum Resource {
    /** A pod already bound (or assumed) to a node. */
    ASSIGNED_POD("AssignedPod"),
    /** A pod still waiting to be scheduled (its own update). */
    UNSCHEDULED_POD("UnscheduledPod"),
    NODE("Node"),
    PERSISTENT_VOLUME("PersistentVolume"),
    PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim"),
    STORAGE_CLASS("StorageClass"),
    /** Matches every resource (used by the periodic flush and forced moves). */
    WILDCARD("*");

    private final String label;

    Resource(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static final int ADD = 1;
  public static final int DELETE = 1 << 1;
  public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
  public static final int UPDATE_NODE_LABEL = 1 << 3;
  public static final int UPDATE_NODE_TAINT = 1 << 4;
  public static final int UPDATE_NODE_CONDITION = 1 << 5;
  public static final int UPDATE_POD_LABEL = 1 << 6;
  public static final int UPDATE_POD_TOLERATION = 1 << 7;
  public static final int UPDATE_POD_SCALE_DOWN = 1 << 8;
  public static final int UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 9;
  /** Any other update of the object. */
  public static final int UPDATE_OTHER = 1 << 10;
  /** Every kind of update. */
  public static final int UPDATE = UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT
      | UPDATE_NODE_CONDITION | UPDATE_POD_LABEL | UPDATE_POD_TOLERATION | UPDATE_POD_SCALE_DOWN
      | UPDATE_POD_SCHEDULING_GATES_ELIMINATED | UPDATE_OTHER;
  public static final int ALL = ADD | DELETE | UPDATE;

  // Events the scheduler itself emits.
  public static final ClusterEvent NODE_ADD = new ClusterEvent(Resource.NODE, ADD);
  public static final ClusterEvent ASSIGNED_POD_DELETE = new ClusterEvent(Resource.ASSIGNED_POD, DELETE);
  public static final ClusterEvent ASSIGNED_POD_ADD = new ClusterEvent(Resource.ASSIGNED_POD, ADD);
  /** The periodic flush of pods unschedulable for longer than 5 minutes. */
  public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Resource.WILDCARD, ALL);

  /**
   * Whether an incoming event matches this registered one: the same resource (or a wildcard
   * registration) and at least one common action.
   */
  public boolean matches(ClusterEvent incoming) {
    if (resource == Resource.WILDCARD) return true;
    return resource == incoming.resource && (actions & incoming.actions) != 0;
  }

  /** "NodeAdd", "AssignedPodDelete", "NodeUpdate", ... as kube-scheduler labels its metrics. */
  public String label() {
    if (this.equals(UNSCHEDULABLE_TIMEOUT)) return "UnschedulableTimeout";
    String action;
    if (actions == ADD) action = "Add";
    else if (actions == DELETE) action = "Delete";
    else if ((actions & ~UPDATE) == 0) action = updateLabel();
    else action = "Change";
    return resource.label() + action;
  }

  private String updateLabel() {
    return switch (actions) {
      case UPDATE_NODE_ALLOCATABLE -> "UpdateNodeAllocatable";
      case UPDATE_NODE_LABEL -> "UpdateNodeLabel";
      case UPDATE_NODE_TAINT -> "UpdateNodeTaint";
      case UPDATE_NODE_CONDITION -> "UpdateNodeCondition";
      case UPDATE_POD_LABEL -> "UpdatePodLabel";
      case UPDATE_POD_TOLERATION -> "UpdatePodToleration";
      case UPDATE_POD_SCALE_DOWN -> "UpdatePodScaleDown";
      case UPDATE_POD_SCHEDULING_GATES_ELIMINATED -> "UpdatePodSchedulingGatesEliminated";
      default -> "Update";
    };
  }

  @Override
  public String toString() {
    return label();
  }
}
