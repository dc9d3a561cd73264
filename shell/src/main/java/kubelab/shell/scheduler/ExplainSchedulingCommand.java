package kubelab.shell.scheduler;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.api.Json;
import kubelab.api.core.Node;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.KubeObject;
import kubelab.api.storage.StorageClass;
import kubelab.client.ApiException;
import kubelab.client.KubeClient;
import kubelab.client.ResourceClient;
import kubelab.client.ResourceType;
import kubelab.scheduler.config.Profile;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.scheduler.explain.Explainer;
import kubelab.scheduler.explain.Explanation;
import kubelab.scheduler.explain.ExplanationPrinter;
import kubelab.scheduler.explain.ListedObjects;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.WaitingPods;
import kubelab.scheduler.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab explain scheduling POD}: reads the pod, the nodes and the bound pods from a running
 * cluster (through the API, like kubectl) and replays the scheduler's decision for the pod: each
 * node's Filter verdicts, each Score plugin's raw, normalized and weighted score, the winner and
 * the deciding plugin, or the FailedScheduling message and what preemption would do.
 */
@Command(
    name = "scheduling",
    mixinStandardHelpOptions = true,
    description = {
      "Explain where the scheduler puts POD and why, or why it cannot.",
      "Shows every Filter plugin's verdict on every node, every Score plugin's raw, normalized and weighted score,",
      "and the winner; for a pod that fits nowhere, the FailedScheduling message and what preemption would do.",
      "POD is NAME, pod/NAME or NAMESPACE/NAME. Nothing is changed: preemption is described, not done."
    })
public final class ExplainSchedulingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "POD", description = "The pod: NAME, pod/NAME or NAMESPACE/NAME.")
  String pod;

  @Option(names = {"-n", "--namespace"}, description = "Namespace of the pod (default: the kubeconfig's, else default).")
  String namespace;

  @Option(names = "--json", description = "Print the explanation as one JSON object.")
  boolean json;

  @Option(names = "--plugins", description = "List the enabled plugins per extension point (with Score weights) and exit.")
  boolean plugins;

  @Option(names = "--kubeconfig", description = "Kubeconfig of the cluster (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--config", paramLabel = "FILE", description = "The scheduler's KubeSchedulerConfiguration (default: the built-in default profile).")
  Path config;

  @Option(names = "--max-nodes", defaultValue = "10", description = "Node columns shown in the tables (default: ${DEFAULT-VALUE}; --json has all).")
  int maxNodes;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SchedulerConfiguration cfg = config == null ? SchedulerConfiguration.defaults() : SchedulerConfiguration.load(config);
    if (plugins) {
      for (Profile p : cfg.profiles) {
        FrameworkHandle h = new FrameworkHandle(new Snapshot(), ClusterObjects.NONE, null, java.time.Clock.systemUTC(),
            new Nominator(), new Parallelizer(1), new WaitingPods());
        out.print(ExplanationPrinter.plugins(new Framework(p, PluginRegistry.inTree(), h)));
      }
      out.flush();
      return 0;
    }
    if (pod == null) throw new IllegalArgumentException("which pod? usage: lab explain scheduling POD (NAME, pod/NAME or NAMESPACE/NAME)");
    try (KubeClient client = KubeClient.fromKubeconfig(kubeconfigPath())) {
      String ns = namespace;
      String name = pod;
      if (name.startsWith("pod/") || name.startsWith("pods/")) name = name.substring(name.indexOf('/') + 1);
      else if (name.contains("/")) {
        ns = name.substring(0, name.indexOf('/'));
        name = name.substring(name.indexOf('/') + 1);
      }
      if (ns == null) ns = client.namespace() == null || client.namespace().isEmpty() ? "default" : client.namespace();
      Pod p;
      try {
        p = client.pods(ns).get(name);
      } catch (ApiException.NotFound e) {
        throw new IllegalArgumentException("pod \"" + name + "\" not found in namespace \"" + ns + "\" (kubectl get pods -n " + ns + ")");
      }
      List<Node> nodes = client.nodes().listAll(kubelab.client.ListOptions.ALL, 500).items;
      List<Pod> bound = new ArrayList<>();
      for (Pod x : client.pods().listAll(kubelab.client.ListOptions.ALL, 500).items) {
        boolean terminal = x.status != null && ("Succeeded".equals(x.status.phase) || "Failed".equals(x.status.phase));
        if (x.spec.nodeName != null && !x.spec.nodeName.isEmpty() && !terminal) bound.add(x);
      }
      ClusterObjects objects = new ListedObjects(
          listOrEmpty(client.resource(ResourceType.of("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, PersistentVolumeClaim.class))),
          listOrEmpty(client.resource(ResourceType.of("", "v1", "persistentvolumes", "PersistentVolume", false, PersistentVolume.class))),
          listOrEmpty(client.resource(ResourceType.of("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, StorageClass.class))),
          listOrEmpty(client.resource(ResourceType.POD_DISRUPTION_BUDGETS)),
          listOrEmpty(client.resource(ResourceType.NAMESPACES)));
      Explanation e = new Explainer(cfg, PluginRegistry.inTree(), objects).explain(p, nodes, bound);
      if (json) out.println(json(e));
      else out.print(ExplanationPrinter.text(e, Math.max(1, maxNodes)));
      out.flush();
      return 0;
    }
  }

  /** Every field, nulls included ("winner": null when no node fits), so consumers see a fixed shape. */
  static String json(Explanation e) {
    try {
      return Json.MAPPER.copy().setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
          .writeValueAsString(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static <T extends KubeObject> List<T> listOrEmpty(ResourceClient<T> rc) {
    try {
      return rc.listAll(kubelab.client.ListOptions.ALL, 500).items;
    } catch (ApiException.NotFound e) {
      return List.of(); // the server does not serve this resource
    }
  }

  private Path kubeconfigPath() {
    if (kubeconfig != null) return kubeconfig;
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isEmpty()) return Path.of(env.split(java.io.File.pathSeparator)[0]);
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    if (Files.exists(home)) return home;
    throw new IllegalArgumentException("no kubeconfig: start a cluster (lab cluster up) and pass --kubeconfig, or set KUBECONFIG");
  }
}
