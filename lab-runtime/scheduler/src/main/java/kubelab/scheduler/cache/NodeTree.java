package kubelab.scheduler.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.scheduler.SchedulerReasons;

/**
 * Node names grouped by zone, listed round-robin across zones (zone-a's first node, zone-b's first,
 * zone-a's second, ...), as kube-scheduler's nodeTree does. With percentageOfNodesToScore below
 * 100%, the sample the scheduler evaluates then spans every zone instead of filling up from the
 * first. Not thread-safe: used under the cache lock.
 */
final class NodeTree {
  private final Map<String, List<String>> byZone = new LinkedHashMap<>();
  private final Map<String, String> zoneOf = new java.util.HashMap<>();
  private int size;

  static String zoneKey(Node n) {
    Map<String, String> l = n.metadata.labels;
    if (l == null) return "";
    String region = l.getOrDefault("topology.kubernetes.io/region", "");
    String zone = l.getOrDefault(SchedulerReasons.LABEL_ZONE, "");
    return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
  }

  void add(Node n) {
    String name = n.metadata.name;
    if (zoneOf.containsKey(name)) return;
    String z = zoneKey(n);
    byZone.computeIfAbsent(z, k -> new ArrayList<>()).add(name);
    zoneOf.put(name, z);
    size++;
  }

  void remove(String name) {
    String z = zoneOf.remove(name);
    if (z == null) return;
    List<String> l = byZone.get(z);
    l.remove(name);
    if (l.isEmpty()) byZone.remove(z);
    size--;
  }

  /** Re-files a node whose zone label changed; returns whether it moved. */
  boolean update(Node n) {
    String z = zoneOf.get(n.metadata.name);
    if (z != null && z.equals(zoneKey(n))) return false;
    remove(n.metadata.name);
    add(n);
    return true;
  }

  List<String> list() {
    List<String> out = new ArrayList<>(size);
    List<List<String>> zones = new ArrayList<>(byZone.values());
    for (int i = 0; out.size() < size; i++) {
      for (List<String> z : zones) if (i < z.size()) out.add(z.get(i));
    }
    return out;
  }

  int size() {
    return size;
  }
}
