package kubelab.client;

import kubelab.api.core.Binding;
import kubelab.api.core.ObjectReference;
import kubelab.api.core.Pod;

/**
 * {@link ResourceClient} for pods, with the pod subresources the control plane uses: binding (the
 * scheduler's only write) and eviction. Same contracts as its parent.
 */
public final class PodClient extends ResourceClient<Pod> {
  PodClient(Transport transport, String namespace) {
    super(transport, ResourceType.PODS, namespace);
  }

  @Override public PodClient inNamespace(String ns) {
    return new PodClient(transport, ns);
  }

  /**
   * POST {@code pods/NAME/binding}: assigns the pod to {@code nodeName}. The API server sets
   * {@code spec.nodeName} and the PodScheduled condition; it answers 409 Conflict if the pod is
   * already bound. {@code uid} (may be null) makes the bind apply only to that incarnation of the
   * pod, as kube-scheduler's binder does.
   */
  public void bind(String namespace, String podName, String uid, String nodeName) {
    Binding b = new Binding();
    b.metadata.namespace = effective(namespace);
    b.metadata.name = podName;
    b.metadata.uid = uid;
    b.target = new ObjectReference("Node", null, nodeName);
    b.target.apiVersion = "v1";
    postSubresource(namespace, podName, "binding", b);
  }

  /** Binds {@code pod} (its namespace, name and uid) to {@code nodeName}. */
  public void bind(Pod pod, String nodeName) {
    bind(pod.metadata.namespace, pod.metadata.name, pod.metadata.uid, nodeName);
  }

  /**
   * POST {@code pods/NAME/eviction} (policy/v1 Eviction): a deletion that respects
   * PodDisruptionBudgets; the server answers 429 TooManyRequests if a budget forbids it.
   */
  public void evict(String namespace, String podName, DeleteOptions opts) {
    java.util.Map<String, Object> ev = new java.util.LinkedHashMap<>();
    ev.put("apiVersion", "policy/v1");
    ev.put("kind", "Eviction");
    ev.put("metadata", java.util.Map.of("name", podName, "namespace", effective(namespace)));
    if (opts != null && opts.body() != null) ev.put("deleteOptions", kubelab.api.Json.read(opts.body(), java.util.Map.class));
    postSubresource(namespace, podName, "eviction", ev);
  }
}
