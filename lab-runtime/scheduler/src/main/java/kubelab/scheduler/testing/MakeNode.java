package kubelab.scheduler.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Node;
import kubelab.api.core.NodeStatus;
import kubelab.api.core.Taint;
import kubelab.api.meta.Condition;
import kubelab.api.resource.Quantity;

/**
 * Builds Node objects for tables, benchmarks and explanations (Kubernetes' st.MakeNode()):
 * {@code MakeNode.named("node-1").capacity("4", "32Gi", 110).label("zone", "a").taint("k", "v", "NoSchedule").obj()}.
 * Capacity is also allocatable; the hostname label is set to the name.
 */
public final class MakeNode {
  private final Node n = new Node();

  private MakeNode(String name) {
    n.metadata.name = name;
    n.metadata.labels = new HashMap<>();
    n.metadata.labels.put("kubernetes.io/hostname", name);
    n.status = new NodeStatus();
    n.status.capacity = new HashMap<>();
    n.status.allocatable = n.status.capacity;
  }

  public static MakeNode named(String name) {
    return new MakeNode(name);
  }

  /** CPU (e.g. "4", "3500m"), memory (e.g. "32Gi") and the pod count. */
  public MakeNode capacity(String cpu, String memory, int pods) {
    resource("cpu", cpu);
    resource("memory", memory);
    resource("pods", Integer.toString(pods));
    return this;
  }

  public MakeNode resource(String name, String amount) {
    n.status.capacity.put(name, Quantity.parse(amount));
    return this;
  }

  public MakeNode label(String k, String v) {
    n.metadata.labels.put(k, v);
    return this;
  }

  public MakeNode taint(String key, String value, String effect) {
    if (n.spec.taints == null) n.spec.taints = new ArrayList<>();
    n.spec.taints.add(new Taint(key, value, effect));
    return this;
  }

  public MakeNode unschedulable() {
    n.spec.unschedulable = true;
    return this;
  }

  public MakeNode condition(String type, String status) {
    if (n.status.conditions == null) n.status.conditions = new ArrayList<>();
    n.status.conditions.add(new Condition(type, status, null, null));
    return this;
  }

  /** An image present on the node, under these names, of this many bytes. */
  public MakeNode image(long sizeBytes, String... names) {
    if (n.status.images == null) n.status.images = new ArrayList<>();
    NodeStatus.ContainerImage img = new NodeStatus.ContainerImage();
    img.names = List.of(names);
    img.sizeBytes = sizeBytes;
    n.status.images.add(img);
    return this;
  }

  public Node obj() {
    return n;
  }

  /** Shorthand for the labels of many nodes at once. */
  public static Map<String, String> labels(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }
}
