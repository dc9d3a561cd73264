package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;

/**
 * The scheduler's view of every node for one cycle: NodeInfo copies in a fixed order, a name
 * index, and the nodes that carry pods with (anti-)affinity, which InterPodAffinity walks instead
 * of all nodes. Taken from the cache at the start of each cycle, so that Filter and Score see one
 * consistent state while the informers keep changing the cache (Kubernetes' Snapshot).
 *
 * <p>Read-only during a cycle and safe to read from many threads; the cache refreshes it between
 * cycles ({@code cache.updateSnapshot}).
 */
public final class Snapshot {
  final List<NodeInfo> nodes = new ArrayList<>();
  final Map<String, NodeInfo> byName = new HashMap<>();
  List<NodeInfo> havePodsWithAffinity = new ArrayList<>();
  List<NodeInfo> havePodsWithRequiredAntiAffinity = new ArrayList<>();
  Map<String, Integer> imageNumNodes = Map.of();
  long generation;

  public Snapshot() {}

  /** A snapshot of the given nodes with the given pods on them (pods without nodeName are ignored). */
  public static Snapshot of(List<Node> nodes, List<Pod> pods) {
    Snapshot s = new Snapshot();
    for (Node n : nodes) s.put(new NodeInfo(n));
    for (Pod p : pods) {
      if (p.spec.nodeName == null || p.spec.nodeName.isEmpty()) continue;
      NodeInfo ni = s.byName.get(p.spec.nodeName);
      if (ni != null) ni.addPod(new PodInfo(p));
    }
    s.rebuildLists();
    return s;
  }

  /** Adds or replaces a node (used by {@link #of} and the cache). */
  public void put(NodeInfo ni) {
    NodeInfo old = byName.put(ni.name(), ni);
    if (old != null) nodes.set(nodes.indexOf(old), ni);
    else nodes.add(ni);
  }

  /** Sets the generation the snapshot is current up to (the cache, after copying changed nodes). */
  public void setGeneration(long g) {
    generation = g;
  }

  /**
   * Keeps exactly the named nodes, in this order, dropping the others (the cache, when nodes came
   * or went or zones changed).
   */
  public void reorder(List<String> names) {
    nodes.clear();
    Map<String, NodeInfo> keep = new HashMap<>();
    for (String n : names) {
      NodeInfo ni = byName.get(n);
      if (ni == null) continue;
      nodes.add(ni);
      keep.put(n, ni);
    }
    byName.clear();
    byName.putAll(keep);
  }

  /** Recomputes the affinity lists and the image counts after nodes changed. */
  public void rebuildLists() {
    List<NodeInfo> aff = new ArrayList<>();
    List<NodeInfo> anti = new ArrayList<>();
    Map<String, Integer> imgs = new HashMap<>();
    for (NodeInfo ni : nodes) {
      if (!ni.podsWithAffinity().isEmpty()) aff.add(ni);
      if (!ni.podsWithRequiredAntiAffinity().isEmpty()) anti.add(ni);
      for (String img : ni.imageSizes().keySet()) imgs.merge(img, 1, Integer::sum);
    }
    havePodsWithAffinity = aff;
    havePodsWithRequiredAntiAffinity = anti;
    imageNumNodes = imgs;
  }

  /** Every node, in a stable order (do not modify). */
  public List<NodeInfo> list() {
    return nodes;
  }

  public int numNodes() {
    return nodes.size();
  }

  /** The node named {@code name}, or null. */
  public NodeInfo get(String name) {
    return byName.get(name);
  }

  public List<NodeInfo> havePodsWithAffinityList() {
    return havePodsWithAffinity;
  }

  public List<NodeInfo> havePodsWithRequiredAntiAffinityList() {
    return havePodsWithRequiredAntiAffinity;
  }

  /** How many nodes report an image under this name (ImageLocality's spread factor). */
  public int imageNumNodes(String image) {
    Integer n = imageNumNodes.get(image);
    return n == null ? 0 : n;
  }

  public long generation() {
    return generation;
  }
}
