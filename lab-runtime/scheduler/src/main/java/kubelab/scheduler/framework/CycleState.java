package kubelab.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-pod scratch space for one scheduling cycle: what PreFilter/PreScore computed once so that
 * Filter/Score, called once per node, stay cheap (Kubernetes' CycleState).
 *
 * <p>Threading: written by PreFilter, PreScore and Reserve on the scheduling thread; read by
 * Filter and Score from the parallelizer's threads after the hand-off, which publishes the
 * writes. Preemption works on {@link #copy()}s. Also carries the precomputed {@link PodInfo} of the
 * pod being scheduled and the plugins PreFilter/PreScore asked to skip.
 */
public final class CycleState {
  /** A typed key: one per plugin state type, usually a constant in the plugin. */
  public static final class Key<T extends StateData> {
    private final String name;

    public Key(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Plugin data kept in a CycleState; copied for preemption's what-if runs. */
  public interface StateData {
    /** A copy safe to mutate independently (immutable data may return {@code this}). */
    default StateData copy() {
      return this;
    }
  }

  private final PodInfo podInfo;
  private final Map<Key<?>, StateData> data;
  private final Set<String> skipFilter;
  private final Set<String> skipScore;
  private Set<String> restrictedNodes;
  /** Bit i set: skip the framework's i-th Filter plugin (derived from skipFilter by the framework). */
  long skipFilterMask;
  /** Bit i set: skip the framework's i-th Score plugin. */
  long skipScoreMask;

  public CycleState(PodInfo podInfo) {
    this.podInfo = podInfo;
    this.data = new HashMap<>();
    this.skipFilter = new HashSet<>();
    this.skipScore = new HashSet<>();
  }

  private CycleState(CycleState o) {
    this.podInfo = o.podInfo;
    this.data = new HashMap<>(o.data.size() * 2);
    for (var e : o.data.entrySet()) data.put(e.getKey(), e.getValue().copy());
    this.skipFilter = new HashSet<>(o.skipFilter);
    this.skipScore = new HashSet<>(o.skipScore);
    this.restrictedNodes = o.restrictedNodes == null ? null : new HashSet<>(o.restrictedNodes);
    this.skipFilterMask = o.skipFilterMask;
    this.skipScoreMask = o.skipScoreMask;
  }

  /** The precomputed view of the pod being scheduled. */
  public PodInfo podInfo() {
    return podInfo;
  }

  @SuppressWarnings("unchecked")
  public <T extends StateData> T read(Key<T> key) {
    return (T) data.get(key);
  }

  /** Like {@link #read} but fails the plugin (ERROR status) when PreFilter/PreScore did not run. */
  public <T extends StateData> T require(Key<T> key) {
    T t = read(key);
    if (t == null) throw new IllegalStateException("error reading \"" + key + "\" from cycleState: not found");
    return t;
  }

  public <T extends StateData> void write(Key<T> key, T value) {
    data.put(key, value);
  }

  public void delete(Key<?> key) {
    data.remove(key);
  }

  /** Deep copy for preemption's dry runs (each plugin state is copied via {@link StateData#copy}). */
  public CycleState copy() {
    return new CycleState(this);
  }

  /**
   * Restricts the nodes Filter will consider to {@code names} (intersected with earlier
   * restrictions), as a PreFilterResult does. An empty set leaves no node.
   */
  public void restrictNodes(Set<String> names) {
    if (restrictedNodes == null) restrictedNodes = new HashSet<>(names);
    else restrictedNodes.retainAll(names);
  }

  /** The nodes PreFilter restricted the cycle to, or null for all nodes. */
  public Set<String> restrictedNodes() {
    return restrictedNodes;
  }

  public Set<String> skipFilterPlugins() {
    return skipFilter;
  }

  public Set<String> skipScorePlugins() {
    return skipScore;
  }
}
