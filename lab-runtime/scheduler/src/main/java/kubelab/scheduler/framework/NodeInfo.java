package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.api.core.Node;
import kubelab.api.core.NodeStatus;
import kubelab.api.core.Taint;

/**
 * One node and the pods on it, aggregated for the plugins: allocatable and requested resources as
 * longs, used host ports, images and their sizes, claimed PVCs, and the subsets of pods with
 * affinity (Kubernetes' framework.NodeInfo).
 *
 * <p>The cache owns one NodeInfo per node and bumps {@link #generation()} on every change; each
 * scheduling cycle works on a snapshot copy, refreshed only for nodes whose generation moved.
 * Not thread-safe: the cache mutates under its lock, snapshot copies are read-only during a cycle
 * (Filter/Score read them from several threads).
 */
public final class NodeInfo {
  private static final AtomicLong GENERATION = new AtomicLong();

  /** A new, globally increasing generation number. */
  public static long nextGeneration() {
    return GENERATION.incrementAndGet();
  }

  private Node node;
  private String name;
  private Map<String, String> labels = Map.of();
  private List<Taint> taints = List.of();
  private boolean unschedulable;
  private final Resource allocatable = new Resource();
  private final Resource requested = new Resource();
  /** Only milliCpu and memory are used: requests with the scoring defaults for missing ones. */
  private final Resource nonZeroRequested = new Resource();
  private List<PodInfo> pods = new ArrayList<>(4);
  private List<PodInfo> podsWithAffinity = new ArrayList<>(0);
  private List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>(0);
  private List<PodInfo.HostPort> usedPorts = new ArrayList<>(0);
  private Map<String, Long> imageSizes = Map.of();
  private Map<String, Integer> pvcRefCounts = new HashMap<>(0);
  private long generation;

  public NodeInfo() {
    generation = nextGeneration();
  }

  public NodeInfo(Node node) {
    this();
    setNode(node);
  }

  /** Sets (or replaces) the Node object: allocatable, labels, taints and images are re-read. */
  public void setNode(Node n) {
    this.node = n;
    this.name = n.metadata.name;
    this.labels = n.metadata.labels == null ? Map.of() : n.metadata.labels;
    this.taints = List.copyOf(ConditionTaints.effectiveTaints(n));
    this.unschedulable = n.spec != null && Boolean.TRUE.equals(n.spec.unschedulable);
    NodeStatus st = n.status;
    Resource a = st == null ? new Resource()
        : Resource.of(st.allocatable != null ? st.allocatable : st.capacity);
    allocatable.copyFrom(a);
    Map<String, Long> imgs = new HashMap<>();
    if (st != null && st.images != null) {
      for (NodeStatus.ContainerImage img : st.images) {
        if (img.names == null) continue;
        for (String nm : img.names) imgs.put(nm, img.sizeBytes == null ? 0L : img.sizeBytes);
      }
    }
    this.imageSizes = imgs;
    generation = nextGeneration();
  }

  /** Adds a pod (bound or assumed) to this node's aggregates. */
  public void addPod(PodInfo p) {
    pods.add(p);
    if (p.hasAffinity()) podsWithAffinity.add(p);
    if (p.hasRequiredAntiAffinity()) podsWithRequiredAntiAffinity.add(p);
    update(p, 1);
  }

  /** Removes the pod with {@code p}'s key; returns false if it was not on this node. */
  public boolean removePod(PodInfo p) {
    String key = p.key();
    int i = indexOf(pods, key);
    if (i < 0) return false;
    PodInfo existing = pods.get(i);
    removeAt(pods, i);
    int j = indexOf(podsWithAffinity, key);
    if (j >= 0) removeAt(podsWithAffinity, j);
    j = indexOf(podsWithRequiredAntiAffinity, key);
    if (j >= 0) removeAt(podsWithRequiredAntiAffinity, j);
    update(existing, -1);
    return true;
  }

  private static int indexOf(List<PodInfo> l, String key) {
    for (int i = 0; i < l.size(); i++) if (l.get(i).key().equals(key)) return i;
    return -1;
  }

  /** Swap-remove, as the Go code does (order of pods on a node carries no meaning). */
  private static void removeAt(List<PodInfo> l, int i) {
    int last = l.size() - 1;
    l.set(i, l.get(last));
    l.remove(last);
  }

  private void update(PodInfo p, int sign) {
    Resource r = p.requests();
    if (sign > 0) requested.add(r);
    else requested.subtract(r);
    nonZeroRequested.milliCpu += sign * p.nonZeroMilliCpu();
    nonZeroRequested.memory += sign * p.nonZeroMemory();
    for (PodInfo.HostPort hp : p.hostPorts()) {
      if (sign > 0) usedPorts.add(hp);
      else usedPorts.remove(hp);
    }
    for (String claim : p.claimNames()) {
      String k = p.namespace() + "/" + claim;
      if (sign > 0) pvcRefCounts.merge(k, 1, Integer::sum);
      else if (pvcRefCounts.merge(k, -1, Integer::sum) <= 0) pvcRefCounts.remove(k);
    }
    generation = nextGeneration();
  }

  /** A deep copy (the snapshot's). Pods are shared: PodInfo is immutable. */
  public NodeInfo copy() {
    NodeInfo c = new NodeInfo();
    c.copyFrom(this);
    return c;
  }

  /** Makes this an exact copy of {@code o}, reusing this object (snapshot refresh). */
  public void copyFrom(NodeInfo o) {
    node = o.node;
    name = o.name;
    labels = o.labels;
    taints = o.taints;
    unschedulable = o.unschedulable;
    allocatable.copyFrom(o.allocatable);
    requested.copyFrom(o.requested);
    nonZeroRequested.copyFrom(o.nonZeroRequested);
    pods = new ArrayList<>(o.pods);
    podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
    podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
    usedPorts = new ArrayList<>(o.usedPorts);
    imageSizes = o.imageSizes;
    pvcRefCounts = new HashMap<>(o.pvcRefCounts);
    generation = o.generation;
  }

  /** Whether a host port request conflicts with one already used here (0.0.0.0 overlaps every IP). */
  public boolean portConflicts(PodInfo.HostPort want) {
    for (PodInfo.HostPort used : usedPorts) {
      if (used.port() != want.port() || !used.protocol().equals(want.protocol())) continue;
      if (want.ip().equals("0.0.0.0") || used.ip().equals("0.0.0.0") || used.ip().equals(want.ip())) return true;
    }
    return false;
  }

  public Node node() { return node; }
  public String name() { return name; }
  public Map<String, String> labels() { return labels; }
  /** spec.taints plus the condition taints ({@link ConditionTaints}). */
  public List<Taint> taints() { return taints; }
  public boolean unschedulable() { return unschedulable; }
  public Resource allocatable() { return allocatable; }
  public Resource requested() { return requested; }
  public Resource nonZeroRequested() { return nonZeroRequested; }
  /** Pods on the node (bound and assumed); do not modify. */
  public List<PodInfo> pods() { return pods; }
  public List<PodInfo> podsWithAffinity() { return podsWithAffinity; }
  public List<PodInfo> podsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity; }
  public List<PodInfo.HostPort> usedPorts() { return usedPorts; }
  /** Image name → size in bytes, for every name of every image the node reports. */
  public Map<String, Long> imageSizes() { return imageSizes; }
  /** {@code namespace/claim} → number of pods here using it. */
  public Map<String, Integer> pvcRefCounts() { return pvcRefCounts; }
  public long generation() { return generation; }

  @Override
  public String toString() {
    return name + "{pods=" + pods.size() + ", requested=" + requested + ", allocatable=" + allocatable + "}";
  }
}
