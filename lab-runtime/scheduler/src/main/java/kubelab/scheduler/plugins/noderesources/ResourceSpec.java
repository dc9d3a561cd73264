package kubelab.scheduler.plugins.noderesources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A resource a scoring strategy looks at, and its weight in the average (args {@code resources}). */
public record ResourceSpec(String name, long weight) {
  /** cpu and memory, weight 1 each: the default of both NodeResourcesFit and BalancedAllocation. */
  public static final List<ResourceSpec> DEFAULT = List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));

  /** Parses {@code [{name: cpu, weight: 1}, ...]}; null or empty gives the default. */
  @SuppressWarnings("unchecked")
  static List<ResourceSpec> parse(Object o, String path) {
    if (o == null) return DEFAULT;
    if (!(o instanceof List<?> l)) throw new IllegalArgumentException(path + ": expected a list of {name, weight}");
    List<ResourceSpec> out = new ArrayList<>();
    for (Object e : l) {
      if (!(e instanceof Map<?, ?> m)) throw new IllegalArgumentException(path + ": expected {name, weight}");
      Object name = ((Map<String, Object>) m).get("name");
      if (name == null) throw new IllegalArgumentException(path + ": resource name required");
      Object w = ((Map<String, Object>) m).get("weight");
      long weight = w == null ? 1 : Long.parseLong(w.toString());
      if (weight < 1 || weight > 100) throw new IllegalArgumentException(path + ": weight of " + name + " must be in [1, 100]");
      out.add(new ResourceSpec(name.toString(), weight));
    }
    return out.isEmpty() ? DEFAULT : List.copyOf(out);
  }

  /** cpu, memory, ephemeral-storage and pods are native; anything else is a scalar (extended) resource. */
  static boolean isScalar(String name) {
    return !name.equals("cpu") && !name.equals("memory") && !name.equals("ephemeral-storage") && !name.equals("pods");
  }
}
