package kubelab.scheduler.config;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling profile: the scheduler name pods select it by, the plugins per extension point
 * (multiPoint plus per-point overrides, merged with the defaults as kube-scheduler does), plugin
 * arguments and an optional percentageOfNodesToScore.
 */
public final class Profile {
  public String schedulerName;
  /** Null: use the configuration's value (0 = adaptive). */
  public Integer percentageOfNodesToScore;
  /** The user's multiPoint set merged with the default one ({@link DefaultPlugins}). */
  public PluginSet multiPoint = new PluginSet();
  /** Per-point sets as written by the user (the default profile sets none). */
  public final Map<ExtensionPoint, PluginSet> points = new EnumMap<>(ExtensionPoint.class);
  /** pluginConfig: plugin name → its args (the YAML map). */
  public final Map<String, Map<String, Object>> pluginArgs = new LinkedHashMap<>();

  public Profile(String schedulerName) {
    this.schedulerName = schedulerName;
  }

  /** The default profile: {@link DefaultPlugins#multiPoint()} and nothing else. */
  public static Profile defaults(String schedulerName) {
    Profile p = new Profile(schedulerName);
    p.multiPoint = DefaultPlugins.multiPoint();
    return p;
  }

  public PluginSet point(ExtensionPoint p) {
    return points.computeIfAbsent(p, k -> new PluginSet());
  }

  /** Disables {@code plugin} at one extension point (what `lab scheduler profile disable` writes). */
  public void disable(ExtensionPoint p, String plugin) {
    point(p).disabled.add(plugin);
  }

  /** Sets a Score plugin's weight (an explicit score entry overrides multiPoint's weight). */
  public void setWeight(String plugin, int weight) {
    PluginSet s = point(ExtensionPoint.SCORE);
    s.enabled.removeIf(e -> e.name().equals(plugin));
    s.enabled.add(new PluginSet.Entry(plugin, weight));
  }

  public Profile copy() {
    Profile c = new Profile(schedulerName);
    c.percentageOfNodesToScore = percentageOfNodesToScore;
    c.multiPoint = multiPoint.copy();
    points.forEach((k, v) -> c.points.put(k, v.copy()));
    c.pluginArgs.putAll(pluginArgs);
    return c;
  }

  List<PluginSet.Entry> multiPointEnabled() {
    return multiPoint.enabled;
  }
}
