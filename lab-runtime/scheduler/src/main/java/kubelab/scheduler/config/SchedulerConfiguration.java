package kubelab.scheduler.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.Json;
import kubelab.scheduler.Params;

/**
 * The scheduler's configuration file, shaped like kube-scheduler's KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1), the subset KubeLab acts on:
 *
 * <pre>
 * apiVersion: kubescheduler.config.k8s.io/v1
 * kind: KubeSchedulerConfiguration
 * parallelism: 16
 * percentageOfNodesToScore: 0          # 0 = adaptive: 50 - nodes/125, at least 5%
 * podInitialBackoffSeconds: 1
 * podMaxBackoffSeconds: 10
 * profiles:
 * - schedulerName: default-scheduler
 *   percentageOfNodesToScore: 50
 *   plugins:
 *     multiPoint: {enabled: [{name: MyPlugin}], disabled: [{name: ImageLocality}]}
 *     score:
 *       enabled: [{name: NodeResourcesFit, weight: 5}]
 *       disabled: [{name: NodeResourcesBalancedAllocation}]
 *   pluginConfig:
 *   - name: NodeResourcesFit
 *     args: {scoringStrategy: {type: MostAllocated}}
 * </pre>
 *
 * <p>Each profile's multiPoint set is merged with the default one as kube-scheduler's defaulting
 * does (mergePluginSet): defaults stay in order unless disabled ("*" disables all), a default the
 * user enables again is re-configured in place, new plugins are appended. Fields kube-scheduler
 * has but KubeLab ignores (leaderElection, clientConnection, extenders, ...) are accepted; other
 * unknown fields are errors that name the field.
 */
public final class SchedulerConfiguration {
  public int parallelism = Params.DEFAULT_PARALLELISM;
  public int percentageOfNodesToScore = Params.DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE;
  public Duration podInitialBackoff = Params.POD_INITIAL_BACKOFF;
  public Duration podMaxBackoff = Params.POD_MAX_BACKOFF;
  public final List<Profile> profiles = new ArrayList<>();

  private static final Set<String> IGNORED_TOP = Set.of("apiVersion", "kind", "leaderElection",
      "clientConnection", "healthzBindAddress", "metricsBindAddress", "enableProfiling",
      "enableContentionProfiling", "extenders", "delayCacheUntilActive", "featureGates");

  /** One profile, "default-scheduler", with the default plugins. */
  public static SchedulerConfiguration defaults() {
    SchedulerConfiguration c = new SchedulerConfiguration();
    c.profiles.add(Profile.defaults(Params.DEFAULT_SCHEDULER_NAME));
    return c;
  }

  public static SchedulerConfiguration load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scheduler configuration " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a YAML (or JSON) configuration.
   *
   * @throws IllegalArgumentException naming the offending field, e.g.
   *     {@code profiles[0].plugins.score.enabled[1].weight: must be a non-negative integer}
   */
  @SuppressWarnings("unchecked")
  public static SchedulerConfiguration parse(String yaml) {
    Object root;
    try {
      root = Json.YAML.readValue(yaml, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("scheduler configuration is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null) return defaults();
    if (!(root instanceof Map)) throw new IllegalArgumentException("scheduler configuration: expected a mapping at the top");
    Map<String, Object> m = (Map<String, Object>) root;
    Object kind = m.get("kind");
    if (kind != null && !"KubeSchedulerConfiguration".equals(kind)) {
      throw new IllegalArgumentException("scheduler configuration: kind must be KubeSchedulerConfiguration, not " + kind);
    }
    SchedulerConfiguration c = new SchedulerConfiguration();
    for (var e : m.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "parallelism" -> c.parallelism = positiveInt(v, "parallelism", 1);
        case "percentageOfNodesToScore" -> c.percentageOfNodesToScore = percentage(v, "percentageOfNodesToScore");
        case "podInitialBackoffSeconds" -> c.podInitialBackoff = Duration.ofSeconds(positiveInt(v, k, 1));
        case "podMaxBackoffSeconds" -> c.podMaxBackoff = Duration.ofSeconds(positiveInt(v, k, 1));
        case "profiles" -> {
          List<Object> l = list(v, "profiles");
          for (int i = 0; i < l.size(); i++) c.profiles.add(profile(map(l.get(i), "profiles[" + i + "]"), "profiles[" + i + "]"));
        }
        default -> {
          if (!IGNORED_TOP.contains(k)) throw new IllegalArgumentException("scheduler configuration: unknown field \"" + k + "\"");
        }
      }
    }
    if (c.profiles.isEmpty()) c.profiles.add(Profile.defaults(Params.DEFAULT_SCHEDULER_NAME));
    if (c.podMaxBackoff.compareTo(c.podInitialBackoff) < 0) {
      throw new IllegalArgumentException("scheduler configuration: podMaxBackoffSeconds must be >= podInitialBackoffSeconds");
    }
    Set<String> names = new HashSet<>();
    for (Profile p : c.profiles) {
      if (!names.add(p.schedulerName)) {
        throw new IllegalArgumentException("scheduler configuration: duplicate profile for schedulerName \"" + p.schedulerName + "\"");
      }
    }
    return c;
  }

  private static Profile profile(Map<String, Object> m, String path) {
    Object name = m.get("schedulerName");
    Profile p = new Profile(name == null ? Params.DEFAULT_SCHEDULER_NAME : name.toString());
    PluginSet userMulti = new PluginSet();
    for (var e : m.entrySet()) {
      String k = e.getKey();
      String at = path + "." + k;
      switch (k) {
        case "schedulerName" -> {}
        case "percentageOfNodesToScore" -> p.percentageOfNodesToScore = percentage(e.getValue(), at);
        case "plugins" -> {
          for (var pe : map(e.getValue(), at).entrySet()) {
            String pat = at + "." + pe.getKey();
            PluginSet set = pluginSet(map(pe.getValue(), pat), pat);
            if (pe.getKey().equals("multiPoint")) userMulti = set;
            else p.points.put(parsePoint(pe.getKey(), pat), set);
          }
        }
        case "pluginConfig" -> {
          List<Object> l = list(e.getValue(), at);
          for (int i = 0; i < l.size(); i++) {
            Map<String, Object> pc = map(l.get(i), at + "[" + i + "]");
            Object n = pc.get("name");
            if (n == null) throw new IllegalArgumentException(at + "[" + i + "].name: required");
            Object args = pc.get("args");
            p.pluginArgs.put(n.toString(), args == null ? Map.of() : map(args, at + "[" + i + "].args"));
          }
        }
        default -> throw new IllegalArgumentException(path + ": unknown field \"" + k + "\"");
      }
    }
    p.multiPoint = merge(DefaultPlugins.multiPoint(), userMulti);
    return p;
  }

  /** kube-scheduler's mergePluginSet: the defaults, minus the disabled, re-configured in place, plus the new. */
  static PluginSet merge(PluginSet defaults, PluginSet custom) {
    PluginSet out = new PluginSet();
    out.disabled.addAll(custom.disabled);
    out.disabled.addAll(defaults.disabled);
    Map<String, Integer> customIndex = new HashMap<>();
    for (int i = 0; i < custom.enabled.size(); i++) customIndex.put(custom.enabled.get(i).name(), i);
    Set<Integer> replaced = new HashSet<>();
    if (!out.disabled.contains("*")) {
      for (PluginSet.Entry d : defaults.enabled) {
        if (out.disabled.contains(d.name())) continue;
        Integer ci = customIndex.get(d.name());
        if (ci != null) {
          out.enabled.add(custom.enabled.get(ci));
          replaced.add(ci);
        } else {
          out.enabled.add(d);
        }
      }
    }
    for (int i = 0; i < custom.enabled.size(); i++) if (!replaced.contains(i)) out.enabled.add(custom.enabled.get(i));
    return out;
  }

  private static ExtensionPoint parsePoint(String s, String path) {
    try {
      return ExtensionPoint.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage());
    }
  }

  private static PluginSet pluginSet(Map<String, Object> m, String path) {
    PluginSet s = new PluginSet();
    for (var e : m.entrySet()) {
      String at = path + "." + e.getKey();
      List<Object> l = list(e.getValue(), at);
      for (int i = 0; i < l.size(); i++) {
        Map<String, Object> pm = map(l.get(i), at + "[" + i + "]");
        Object n = pm.get("name");
        if (n == null) throw new IllegalArgumentException(at + "[" + i + "].name: required");
        switch (e.getKey()) {
          case "enabled" -> {
            int w = pm.get("weight") == null ? 0 : positiveInt(pm.get("weight"), at + "[" + i + "].weight", 0);
            s.enabled.add(new PluginSet.Entry(n.toString(), w));
          }
          case "disabled" -> s.disabled.add(n.toString());
          default -> throw new IllegalArgumentException(path + ": unknown field \"" + e.getKey() + "\" (enabled or disabled)");
        }
      }
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String path) {
    if (o == null) return new LinkedHashMap<>();
    if (!(o instanceof Map)) throw new IllegalArgumentException(path + ": expected a mapping");
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o, String path) {
    if (o == null) return List.of();
    if (!(o instanceof List)) throw new IllegalArgumentException(path + ": expected a list");
    return (List<Object>) o;
  }

  static int positiveInt(Object o, String path, int min) {
    int v;
    if (o instanceof Number n) v = n.intValue();
    else {
      try {
        v = Integer.parseInt(String.valueOf(o).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + ": must be an integer, not \"" + o + "\"");
      }
    }
    if (v < min) throw new IllegalArgumentException(path + ": must be >= " + min + ", not " + v);
    return v;
  }

  private static int percentage(Object o, String path) {
    int v = positiveInt(o, path, 0);
    if (v > 100) throw new IllegalArgumentException(path + ": must be between 0 and 100, not " + v);
    return v;
  }

  /** The profile for {@code schedulerName}, or null. */
  public Profile profile(String schedulerName) {
    for (Profile p : profiles) if (p.schedulerName.equals(schedulerName)) return p;
    return null;
  }
}
