package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Why each node was rejected in one cycle: an explicit status per evaluated node, plus one status
 * for all nodes not listed (e.g. every node when PreFilter rejected the pod, or nodes PreFilter
 * excluded). Kubernetes' NodeToStatus. Not thread-safe: filled by the framework after the
 * parallel filter has finished.
 */
public final class NodeToStatus {
  private final Map<String, Status> explicit = new LinkedHashMap<>();
  private Status absent = Status.unresolvable();

  public void set(String node, Status s) {
    explicit.put(node, s);
  }

  /** The status of {@code node}: explicit, or the absent-nodes status. */
  public Status get(String node) {
    Status s = explicit.get(node);
    return s != null ? s : absent;
  }

  public void setAbsentNodesStatus(Status s) {
    absent = s;
  }

  public Status absentNodesStatus() {
    return absent;
  }

  /** Number of explicitly listed nodes. */
  public int size() {
    return explicit.size();
  }

  public void forEachExplicit(BiConsumer<String, Status> f) {
    explicit.forEach(f);
  }

  public Map<String, Status> explicit() {
    return java.util.Collections.unmodifiableMap(explicit);
  }

  /**
   * The nodes whose status has {@code code} (explicit or absent), in snapshot order: preemption
   * only looks at the UNSCHEDULABLE ones, where removing pods might help.
   */
  public List<NodeInfo> nodesWithCode(Snapshot snapshot, Status.Code code) {
    List<NodeInfo> out = new ArrayList<>();
    for (NodeInfo ni : snapshot.list()) {
      if (get(ni.name()).code() == code) out.add(ni);
    }
    return out;
  }
}
