package kubelab.scheduler.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Enabled and disabled plugins for one extension point (or multiPoint), as in
 * KubeSchedulerConfiguration: {@code enabled: [{name, weight}]}, {@code disabled: [{name}]};
 * a disabled name "*" disables every default plugin at that point.
 */
public final class PluginSet {
  /** A plugin reference; {@code weight} only matters for Score (0 means "default", read as 1). */
  public record Entry(String name, int weight) {}

  public final List<Entry> enabled = new ArrayList<>();
  public final List<String> disabled = new ArrayList<>();

  public PluginSet copy() {
    PluginSet p = new PluginSet();
    p.enabled.addAll(enabled);
    p.disabled.addAll(disabled);
    return p;
  }

  boolean isEmpty() {
    return enabled.isEmpty() && disabled.isEmpty();
  }
}
