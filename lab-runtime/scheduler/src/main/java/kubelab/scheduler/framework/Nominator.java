package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods nominated to a node by preemption (status.nominatedNodeName) but not yet bound there.
 *
 * <p>While a preemptor waits for its victims to terminate, other pods must not take the room it
 * made: Filter evaluates a node as if its nominated pods of equal or higher priority were already
 * running (Kubernetes' nominator, RunFilterPluginsWithNominatedPods). Thread-safe.
 */
public final class Nominator {
  private final Map<String, List<PodInfo>> byNode = new HashMap<>();
  private final Map<String, String> nodeOf = new HashMap<>();

  /** Records that {@code pod} is nominated to {@code node} (replacing an earlier nomination). */
  public synchronized void add(PodInfo pod, String node) {
    remove(pod.key());
    if (node == null || node.isEmpty()) return;
    byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(pod);
    nodeOf.put(pod.key(), node);
  }

  /** Forgets the nomination of the pod with this key, if any. */
  public synchronized void remove(String podKey) {
    String node = nodeOf.remove(podKey);
    if (node == null) return;
    List<PodInfo> l = byNode.get(node);
    if (l == null) return;
    l.removeIf(p -> p.key().equals(podKey));
    if (l.isEmpty()) byNode.remove(node);
  }

  /** A copy of the pods nominated to {@code node}. */
  public synchronized List<PodInfo> forNode(String node) {
    List<PodInfo> l = byNode.get(node);
    return l == null ? List.of() : new ArrayList<>(l);
  }

  public synchronized boolean isEmpty() {
    return nodeOf.isEmpty();
  }

  /** The node the pod is nominated to, or null. */
  public synchronized String nodeOf(String podKey) {
    return nodeOf.get(podKey);
  }
}
