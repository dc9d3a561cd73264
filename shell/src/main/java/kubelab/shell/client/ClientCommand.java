package kubelab.shell.client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kubelab.api.meta.KubeObject;
import kubelab.client.ClientConfig;
import kubelab.client.KubeClient;
import kubelab.client.KubeConfig;
import kubelab.client.ResourceType;
import kubelab.client.informer.ListerWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab client}: the Java client's machinery made visible (curriculum concept
 * {@code arch.informer}).
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = "See how controllers read the cluster: informers, caches and work queues.",
    subcommands = {ClientCommand.InformerDemo.class})
public final class ClientCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final Map<String, ResourceType<? extends KubeObject>> RESOURCES = Map.of(
      "pods", ResourceType.PODS, "nodes", ResourceType.NODES, "namespaces", ResourceType.NAMESPACES,
      "events", ResourceType.EVENTS, "leases", ResourceType.LEASES, "priorityclasses", ResourceType.PRIORITY_CLASSES);

  @Command(
      name = "informer-demo",
      mixinStandardHelpOptions = true,
      description = {
        "Run one informer and a work queue against the cluster and print what happens:",
        "the initial list, every watch event with the cache size and queue depth, each reconcile,",
        "and relists when the watch cannot resume (410 Gone). Change objects with kubectl meanwhile.",
      })
  static final class InformerDemo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESOURCE", description = "pods, nodes, namespaces, events, leases or priorityclasses")
    String resource;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--context", description = "kubeconfig context (default: the current one)")
    String context;

    @Option(names = {"-n", "--namespace"}, description = "only this namespace (default: all namespaces)")
    String namespace;

    @Option(names = "--duration", paramLabel = "TIME", description = "stop after this long, e.g. 30s or 5m (default: until Ctrl-C)")
    String duration;

    @Option(names = "--resync", paramLabel = "TIME", defaultValue = "0s",
        description = "re-deliver every cached object this often, e.g. 30s (default: ${DEFAULT-VALUE}: never)")
    String resync;

    @Override public Integer call() throws Exception {
      ResourceType<? extends KubeObject> type = RESOURCES.get(resource.toLowerCase(Locale.ROOT));
      if (type == null) {
        throw new IllegalArgumentException("unknown resource \"" + resource + "\": use one of "
            + new java.util.TreeSet<>(RESOURCES.keySet()));
      }
      KubeConfig kc = kubeconfig != null ? KubeConfig.load(kubeconfig) : KubeConfig.fromEnvironment();
      ClientConfig cfg = kc.clientConfig(context);
      KubeClient client = KubeClient.create(cfg);
      spec.commandLine().getOut().printf("server %s%s%n", cfg.server(),
          namespace == null || !type.namespaced() ? "" : ", namespace " + namespace);
      run(type, client);
      return 0;
    }

    private <T extends KubeObject> void run(ResourceType<T> type, KubeClient client) throws InterruptedException {
      ListerWatcher<T> lw = ListerWatcher.of(client.resource(type).inNamespace(namespace));
      kubelab.shell.client.InformerDemo.run(type.toString(), lw, spec.commandLine().getOut(),
          duration == null ? null : parseDuration(duration), parseDuration(resync), Clock.systemUTC());
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} (Go's time.ParseDuration units that matter here). */
  static Duration parseDuration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(s.trim());
    if (!m.matches()) throw new IllegalArgumentException("invalid duration \"" + s + "\": use e.g. 500ms, 30s, 5m or 1h");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
