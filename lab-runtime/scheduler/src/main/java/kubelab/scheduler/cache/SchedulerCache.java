package kubelab.scheduler.cache;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.scheduler.framework.NodeInfo;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.Snapshot;

/**
 * The scheduler's own picture of the cluster: every node and the pods on it, bound or assumed
 * (Kubernetes' scheduler cache; the seeds: "先更新缓存, 内存内保障一致性").
 *
 * <p>Assume: once a node is chosen, the pod is added to that node here at once and binding runs
 * asynchronously, so the next cycle already sees the resources as used. When the informer later
 * reports the pod bound, the assumption is confirmed; if binding fails, {@link #forgetPod} takes
 * it back. (v1.32 no longer expires assumed pods: binding either lands or fails.)
 *
 * <p>Snapshots: every change bumps the node's generation and moves it to the front of a recency
 * list; {@link #updateSnapshot} walks the list only until it meets a node older than the
 * snapshot, so a cycle copies the one or two nodes that changed, not all 5,000.
 *
 * <p>Thread-safe: all methods take the cache lock. Pods on nodes the cache has not seen yet are
 * kept on a placeholder and join the snapshot when the Node arrives.
 */
public final class SchedulerCache {
  private static final class Item {
    final NodeInfo info = new NodeInfo();
    Node node;
    Item prev;
    Item next;
  }

  private static final class PodState {
    PodInfo pod;
    boolean assumed;
    boolean bindingFinished;
  }

  private final Map<String, Item> nodes = new HashMap<>();
  private final Map<String, PodState> pods = new HashMap<>();
  private final Set<String> assumed = new HashSet<>();
  private final NodeTree tree = new NodeTree();
  private Item head;
  /** Bumped when the set of nodes or their zone order changes: the snapshot's list must be rebuilt. */
  private long topologyVersion;

  // ------------------------------------------------------------------ nodes

  public synchronized void addNode(Node n) {
    Item it = nodes.computeIfAbsent(n.metadata.name, k -> new Item());
    it.node = n;
    it.info.setNode(n);
    tree.add(n);
    topologyVersion++;
    moveToHead(it);
  }

  public synchronized void updateNode(Node n) {
    Item it = nodes.get(n.metadata.name);
    if (it == null) {
      addNode(n);
      return;
    }
    it.node = n;
    it.info.setNode(n);
    if (tree.update(n)) topologyVersion++;
    moveToHead(it);
  }

  /** Removes the node; its pods stay cached (they are removed by their own delete events). */
  public synchronized void removeNode(String name) {
    Item it = nodes.get(name);
    if (it == null) return;
    tree.remove(name);
    topologyVersion++;
    it.node = null;
    if (it.info.pods().isEmpty()) {
      unlink(it);
      nodes.remove(name);
    } else {
      moveToHead(it);
    }
  }

  // ------------------------------------------------------------------ pods

  /**
   * Adds a pod whose {@code spec.nodeName} is the chosen node, before binding.
   *
   * @throws IllegalStateException if the pod is already cached (assumed or bound)
   */
  public synchronized void assumePod(PodInfo p) {
    if (pods.containsKey(p.key())) throw new IllegalStateException("pod " + p.key() + " is in the cache, so can't be assumed");
    addToNode(p);
    PodState ps = new PodState();
    ps.pod = p;
    ps.assumed = true;
    pods.put(p.key(), ps);
    assumed.add(p.key());
  }

  /** Binding was sent; the assumed pod waits for the informer's confirmation. */
  public synchronized void finishBinding(String podKey) {
    PodState ps = pods.get(podKey);
    if (ps != null && ps.assumed) ps.bindingFinished = true;
  }

  /** Binding failed: take the assumed pod off its node. */
  public synchronized void forgetPod(String podKey) {
    PodState ps = pods.get(podKey);
    if (ps == null || !ps.assumed) return;
    removeFromNode(ps.pod);
    pods.remove(podKey);
    assumed.remove(podKey);
  }

  /** The informer saw a bound pod: confirm an assumption (moving it if bound elsewhere) or add it. */
  public synchronized void addPod(PodInfo p) {
    PodState ps = pods.get(p.key());
    if (ps != null && ps.assumed) {
      if (!nodeName(ps.pod).equals(nodeName(p))) {
        removeFromNode(ps.pod);
        addToNode(p);
      } else {
        replaceOnNode(ps.pod, p);
      }
      ps.pod = p;
      ps.assumed = false;
      assumed.remove(p.key());
      return;
    }
    if (ps != null) {
      updatePod(p);
      return;
    }
    addToNode(p);
    ps = new PodState();
    ps.pod = p;
    pods.put(p.key(), ps);
  }

  /** A bound pod changed (labels, resources after resize, deletionTimestamp...). */
  public synchronized void updatePod(PodInfo p) {
    PodState ps = pods.get(p.key());
    if (ps == null) {
      addPod(p);
      return;
    }
    if (ps.assumed) return; // the informer's view of an assumed pod arrives through addPod
    removeFromNode(ps.pod);
    addToNode(p);
    ps.pod = p;
  }

  public synchronized void removePod(String podKey) {
    PodState ps = pods.remove(podKey);
    if (ps == null) return;
    assumed.remove(podKey);
    removeFromNode(ps.pod);
  }

  public synchronized boolean isAssumedPod(String podKey) {
    return assumed.contains(podKey);
  }

  public synchronized boolean hasPod(String podKey) {
    return pods.containsKey(podKey);
  }

  /** The node a cached pod is on (bound or assumed), or null. */
  public synchronized String nodeOf(String podKey) {
    PodState ps = pods.get(podKey);
    return ps == null ? null : nodeName(ps.pod);
  }

  private static String nodeName(PodInfo p) {
    return p.pod().spec.nodeName;
  }

  private void addToNode(PodInfo p) {
    Item it = nodes.computeIfAbsent(nodeName(p), k -> new Item());
    it.info.addPod(p);
    moveToHead(it);
  }

  private void removeFromNode(PodInfo p) {
    Item it = nodes.get(nodeName(p));
    if (it == null) return;
    it.info.removePod(p);
    if (it.node == null && it.info.pods().isEmpty()) {
      unlink(it);
      nodes.remove(nodeName(p));
    } else {
      moveToHead(it);
    }
  }

  private void replaceOnNode(PodInfo old, PodInfo now) {
    Item it = nodes.get(nodeName(old));
    it.info.removePod(old);
    it.info.addPod(now);
    moveToHead(it);
  }

  private void moveToHead(Item it) {
    if (head == it) return;
    unlink(it);
    it.next = head;
    if (head != null) head.prev = it;
    head = it;
  }

  private void unlink(Item it) {
    if (it.prev != null) it.prev.next = it.next;
    if (it.next != null) it.next.prev = it.prev;
    if (head == it) head = it.next;
    it.prev = null;
    it.next = null;
  }

  // ------------------------------------------------------------------ snapshot

  private long snapshotTopologyVersion = -1;
  private Snapshot lastSnapshot;

  /**
   * Brings {@code s} up to date: copies the nodes that changed since its generation and rebuilds
   * its lists only when nodes came or went, or affinity pods or images changed.
   */
  public synchronized void updateSnapshot(Snapshot s) {
    long gen = s.generation();
    boolean rebuildAffinity = false;
    boolean rebuildImages = false;
    boolean newNodes = false;
    for (Item it = head; it != null; it = it.next) {
      if (it.info.generation() <= gen) break;
      if (it.node == null) continue;
      NodeInfo existing = s.get(it.info.name());
      if (existing == null) {
        existing = new NodeInfo();
        existing.copyFrom(it.info);
        s.put(existing);
        newNodes = true;
        rebuildAffinity = true;
        rebuildImages = true;
        continue;
      }
      boolean hadAff = !existing.podsWithAffinity().isEmpty();
      boolean hadAnti = !existing.podsWithRequiredAntiAffinity().isEmpty();
      var oldImages = existing.imageSizes();
      existing.copyFrom(it.info);
      if (hadAff != !existing.podsWithAffinity().isEmpty() || hadAnti != !existing.podsWithRequiredAntiAffinity().isEmpty()) {
        rebuildAffinity = true;
      }
      if (oldImages != existing.imageSizes()) rebuildImages = true;
    }
    if (head != null) s.setGeneration(head.info.generation());
    if (newNodes || snapshotTopologyVersion != topologyVersion || lastSnapshot != s) {
      List<String> order = tree.list();
      s.reorder(order);
      snapshotTopologyVersion = topologyVersion;
      lastSnapshot = s;
      rebuildAffinity = true;
      rebuildImages = true;
    }
    if (rebuildAffinity || rebuildImages) s.rebuildLists();
  }

  public synchronized int nodeCount() {
    return tree.size();
  }

  public synchronized int podCount() {
    return pods.size();
  }

  /** A standalone snapshot (explanations). */
  public Snapshot snapshot() {
    Snapshot s = new Snapshot();
    updateSnapshot(s);
    return s;
  }
}
