package kubelab.scheduler.framework;

import java.util.Map;

/**
 * Builds a plugin from its pluginConfig args (the YAML map; empty when none) and the framework
 * handle. Throws IllegalArgumentException with a readable message for bad args.
 */
@FunctionalInterface
public interface PluginFactory {
  Plugin create(Map<String, Object> args, Handle handle);
}
