package kubelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kubelab.api.Json;
import kubelab.api.coordination.Lease;
import kubelab.api.core.Event;
import kubelab.api.core.Namespace;
import kubelab.api.core.Node;
import kubelab.api.meta.KubeObject;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.scheduling.PriorityClass;

/**
 * The entry point: a connection to one API server as one user, and typed access to its resources
 * (client-go's clientset).
 *
 * <pre>{@code
 * KubeClient client = KubeClient.fromKubeconfig(Path.of("kubeconfig"));
 * Pod web = client.pods("default").get("web");
 * client.pods("default").bind(web, "node-1");
 * try (Watch<Node> w = client.nodes().watch(ListOptions.ALL.withBookmarks(true))) { ... }
 * }</pre>
 *
 * <p>One instance holds one HTTP connection pool and one client-side rate limiter
 * (QPS/burst from its {@link ClientConfig}); share it across a component's threads: it is
 * thread-safe, and the resource clients it hands out are immutable views onto it.
 */
public final class KubeClient implements AutoCloseable {
  private final Transport transport;

  private KubeClient(ClientConfig config) {
    this.transport = new Transport(config);
  }

  public static KubeClient create(ClientConfig config) {
    return new KubeClient(config);
  }

  /** A client for the current context of the kubeconfig at {@code path}. */
  public static KubeClient fromKubeconfig(Path path) {
    return create(KubeConfig.load(path).clientConfig(null));
  }

  public ClientConfig config() {
    return transport.config();
  }

  /** The default namespace of the kubeconfig context this client was made from. */
  public String namespace() {
    return transport.config().namespace();
  }

  /** Requests sent so far (each after taking a rate-limiter token). */
  public long requestCount() {
    return transport.requestCount();
  }

  /** Pods in {@code namespace} (null: all namespaces). */
  public PodClient pods(String namespace) {
    return new PodClient(transport, namespace);
  }

  /** Pods in all namespaces. */
  public PodClient pods() {
    return pods(null);
  }

  public ResourceClient<Node> nodes() {
    return resource(ResourceType.NODES);
  }

  public ResourceClient<Namespace> namespaces() {
    return resource(ResourceType.NAMESPACES);
  }

  public ResourceClient<Event> events(String namespace) {
    return resource(ResourceType.EVENTS).inNamespace(namespace);
  }

  public ResourceClient<Lease> leases(String namespace) {
    return resource(ResourceType.LEASES).inNamespace(namespace);
  }

  public ResourceClient<PriorityClass> priorityClasses() {
    return resource(ResourceType.PRIORITY_CLASSES);
  }

  public ResourceClient<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
    return resource(ResourceType.POD_DISRUPTION_BUDGETS).inNamespace(namespace);
  }

  /** Any resource, all namespaces (narrow with {@code inNamespace}). */
  public <T extends KubeObject> ResourceClient<T> resource(ResourceType<T> type) {
    return new ResourceClient<>(transport, type, null);
  }

  /**
   * Any resource by group/version/plural, decoded into {@code type} (often {@link Unstructured}).
   * Assumed namespaced; a cluster-scoped resource works the same as long as no namespace is set.
   */
  public <T extends KubeObject> ResourceClient<T> resource(String group, String version, String plural, Class<T> type) {
    return new ResourceClient<>(transport, new ResourceType<>(group, version, plural, null, true, type), null);
  }

  /** GET an arbitrary path ({@code /version}, {@code /api}, {@code /healthz}); returns the body as text. */
  public String getRaw(String path) {
    return new String(transport.request("GET", path, null, null), StandardCharsets.UTF_8);
  }

  /** GET an arbitrary path and parse it as JSON. */
  public JsonNode getJson(String path) {
    try {
      return Json.MAPPER.readTree(transport.request("GET", path, null, null));
    } catch (IOException e) {
      throw new KubeClientException("GET " + path + ": not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Nothing to release eagerly: the JDK's HttpClient (Java 17) closes idle pooled connections by
   * itself. Open watches must be closed by their owners.
   */
  @Override public void close() {}
}
