package kubelab.scheduler.plugins.interpodaffinity;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts per topology domain, keyed by topology key then value ({@code zone → a → 2}): how many
 * matching pods (or how much weight) each domain holds. Nested maps so lookups allocate nothing.
 * Not thread-safe: built on one thread, then only read.
 */
final class TopologyCounts {
  private final Map<String, Map<String, Long>> counts = new HashMap<>();

  /** Adds {@code delta} to the domain of {@code node labels[key]}; no-op if the node lacks the label. */
  void update(Map<String, String> nodeLabels, String key, long delta) {
    String v = nodeLabels.get(key);
    if (v == null) return;
    add(key, v, delta);
  }

  void add(String key, String value, long delta) {
    Map<String, Long> m = counts.computeIfAbsent(key, k -> new HashMap<>());
    long n = m.getOrDefault(value, 0L) + delta;
    if (n == 0) {
      m.remove(value);
      if (m.isEmpty()) counts.remove(key);
    } else {
      m.put(value, n);
    }
  }

  long get(String key, String value) {
    Map<String, Long> m = counts.get(key);
    if (m == null) return 0;
    Long n = m.get(value);
    return n == null ? 0 : n;
  }

  /** The count of the node's domain for {@code key} (0 if the node lacks the label). */
  long forNode(Map<String, String> nodeLabels, String key) {
    String v = nodeLabels.get(key);
    return v == null ? 0 : get(key, v);
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  Map<String, Map<String, Long>> raw() {
    return counts;
  }

  void addAll(TopologyCounts o) {
    for (var e : o.counts.entrySet()) for (var v : e.getValue().entrySet()) add(e.getKey(), v.getKey(), v.getValue());
  }

  TopologyCounts copy() {
    TopologyCounts c = new TopologyCounts();
    for (var e : counts.entrySet()) c.counts.put(e.getKey(), new HashMap<>(e.getValue()));
    return c;
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
