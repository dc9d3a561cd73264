package kubelab.scheduler.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Affinity;
import kubelab.api.core.Container;
import kubelab.api.core.ContainerPort;
import kubelab.api.core.NodeAffinity;
import kubelab.api.core.NodeSelector;
import kubelab.api.core.NodeSelectorRequirement;
import kubelab.api.core.NodeSelectorTerm;
import kubelab.api.core.Pod;
import kubelab.api.core.PodAffinity;
import kubelab.api.core.PodAffinityTerm;
import kubelab.api.core.PodStatus;
import kubelab.api.core.ResourceRequirements;
import kubelab.api.core.Toleration;
import kubelab.api.core.TopologySpreadConstraint;
import kubelab.api.core.Volume;
import kubelab.api.meta.LabelSelector;
import kubelab.api.meta.OwnerReference;
import kubelab.api.resource.Quantity;

/**
 * Builds Pod objects for tables, benchmarks and explanations (Kubernetes' st.MakePod()):
 * {@code MakePod.named("web-0").req("cpu", "500m").label("app", "web").toleration("gpu", "Exists", null, "NoSchedule").obj()}.
 * The pod has one container "c" (image "pause") until {@link #container} adds more.
 */
public final class MakePod {
  private final Pod p = new Pod();
  private Container c;

  private MakePod(String name) {
    p.metadata.name = name;
    p.metadata.namespace = "default";
    c = new Container();
    c.name = "c";
    c.image = "registry.k8s.io/pause:3.10";
    p.spec.containers.add(c);
  }

  public static MakePod named(String name) {
    return new MakePod(name);
  }

  public MakePod namespace(String ns) {
    p.metadata.namespace = ns;
    return this;
  }

  public MakePod uid(String uid) {
    p.metadata.uid = uid;
    return this;
  }

  /** Adds a container; later req()/hostPort()/image() calls apply to it. */
  public MakePod container(String name, String image) {
    c = new Container();
    c.name = name;
    c.image = image;
    p.spec.containers.add(c);
    return this;
  }

  public MakePod image(String image) {
    c.image = image;
    return this;
  }

  /** A request on the current container. */
  public MakePod req(String resource, String amount) {
    if (c.resources == null) c.resources = new ResourceRequirements();
    if (c.resources.requests == null) c.resources.requests = new HashMap<>();
    c.resources.requests.put(resource, Quantity.parse(amount));
    return this;
  }

  public MakePod label(String k, String v) {
    if (p.metadata.labels == null) p.metadata.labels = new HashMap<>();
    p.metadata.labels.put(k, v);
    return this;
  }

  public MakePod node(String nodeName) {
    p.spec.nodeName = nodeName;
    return this;
  }

  public MakePod priority(int prio) {
    p.spec.priority = prio;
    return this;
  }

  public MakePod preemptionPolicy(String policy) {
    p.spec.preemptionPolicy = policy;
    return this;
  }

  public MakePod schedulerName(String name) {
    p.spec.schedulerName = name;
    return this;
  }

  public MakePod nodeSelector(String k, String v) {
    if (p.spec.nodeSelector == null) p.spec.nodeSelector = new HashMap<>();
    p.spec.nodeSelector.put(k, v);
    return this;
  }

  private NodeAffinity nodeAffinity() {
    if (p.spec.affinity == null) p.spec.affinity = new Affinity();
    if (p.spec.affinity.nodeAffinity == null) p.spec.affinity.nodeAffinity = new NodeAffinity();
    return p.spec.affinity.nodeAffinity;
  }

  /** Adds one required term with one expression (terms are ORed). */
  public MakePod requiredNodeAffinity(String key, String op, String... values) {
    NodeAffinity na = nodeAffinity();
    if (na.requiredDuringSchedulingIgnoredDuringExecution == null) {
      na.requiredDuringSchedulingIgnoredDuringExecution = new NodeSelector();
      na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = new ArrayList<>();
    }
    NodeSelectorTerm t = new NodeSelectorTerm();
    t.matchExpressions = new ArrayList<>(List.of(new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values))));
    na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.add(t);
    return this;
  }

  /** A required term {@code matchFields metadata.name In [node]} (how DaemonSet pods pin a node). */
  public MakePod requiredNodeName(String... nodes) {
    NodeAffinity na = nodeAffinity();
    if (na.requiredDuringSchedulingIgnoredDuringExecution == null) {
      na.requiredDuringSchedulingIgnoredDuringExecution = new NodeSelector();
      na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = new ArrayList<>();
    }
    NodeSelectorTerm t = new NodeSelectorTerm();
    t.matchFields = new ArrayList<>(List.of(new NodeSelectorRequirement("metadata.name", "In", List.of(nodes))));
    na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.add(t);
    return this;
  }

  public MakePod preferredNodeAffinity(int weight, String key, String op, String... values) {
    NodeAffinity na = nodeAffinity();
    if (na.preferredDuringSchedulingIgnoredDuringExecution == null) na.preferredDuringSchedulingIgnoredDuringExecution = new ArrayList<>();
    NodeAffinity.PreferredSchedulingTerm t = new NodeAffinity.PreferredSchedulingTerm();
    t.weight = weight;
    t.preference = new NodeSelectorTerm();
    t.preference.matchExpressions = new ArrayList<>(List.of(new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values))));
    na.preferredDuringSchedulingIgnoredDuringExecution.add(t);
    return this;
  }

  private static PodAffinityTerm term(String topologyKey, Map<String, String> matchLabels, List<String> namespaces) {
    PodAffinityTerm t = new PodAffinityTerm();
    t.topologyKey = topologyKey;
    t.labelSelector = new LabelSelector();
    t.labelSelector.matchLabels = matchLabels;
    t.namespaces = namespaces;
    return t;
  }

  private PodAffinity podAffinity(boolean anti) {
    if (p.spec.affinity == null) p.spec.affinity = new Affinity();
    if (anti) {
      if (p.spec.affinity.podAntiAffinity == null) p.spec.affinity.podAntiAffinity = new PodAffinity();
      return p.spec.affinity.podAntiAffinity;
    }
    if (p.spec.affinity.podAffinity == null) p.spec.affinity.podAffinity = new PodAffinity();
    return p.spec.affinity.podAffinity;
  }

  public MakePod requiredPodAffinity(String topologyKey, Map<String, String> matchLabels) {
    return required(false, topologyKey, matchLabels, null);
  }

  public MakePod requiredPodAntiAffinity(String topologyKey, Map<String, String> matchLabels) {
    return required(true, topologyKey, matchLabels, null);
  }

  public MakePod requiredPodAntiAffinity(String topologyKey, Map<String, String> matchLabels, List<String> namespaces) {
    return required(true, topologyKey, matchLabels, namespaces);
  }

  private MakePod required(boolean anti, String topologyKey, Map<String, String> matchLabels, List<String> namespaces) {
    PodAffinity a = podAffinity(anti);
    if (a.requiredDuringSchedulingIgnoredDuringExecution == null) a.requiredDuringSchedulingIgnoredDuringExecution = new ArrayList<>();
    a.requiredDuringSchedulingIgnoredDuringExecution.add(term(topologyKey, matchLabels, namespaces));
    return this;
  }

  public MakePod preferredPodAffinity(int weight, String topologyKey, Map<String, String> matchLabels) {
    return preferred(false, weight, topologyKey, matchLabels);
  }

  public MakePod preferredPodAntiAffinity(int weight, String topologyKey, Map<String, String> matchLabels) {
    return preferred(true, weight, topologyKey, matchLabels);
  }

  private MakePod preferred(boolean anti, int weight, String topologyKey, Map<String, String> matchLabels) {
    PodAffinity a = podAffinity(anti);
    if (a.preferredDuringSchedulingIgnoredDuringExecution == null) a.preferredDuringSchedulingIgnoredDuringExecution = new ArrayList<>();
    PodAffinity.WeightedPodAffinityTerm w = new PodAffinity.WeightedPodAffinityTerm();
    w.weight = weight;
    w.podAffinityTerm = term(topologyKey, matchLabels, null);
    a.preferredDuringSchedulingIgnoredDuringExecution.add(w);
    return this;
  }

  public MakePod spread(int maxSkew, String topologyKey, String whenUnsatisfiable, Map<String, String> matchLabels) {
    if (p.spec.topologySpreadConstraints == null) p.spec.topologySpreadConstraints = new ArrayList<>();
    TopologySpreadConstraint t = new TopologySpreadConstraint();
    t.maxSkew = maxSkew;
    t.topologyKey = topologyKey;
    t.whenUnsatisfiable = whenUnsatisfiable;
    t.labelSelector = new LabelSelector();
    t.labelSelector.matchLabels = matchLabels;
    p.spec.topologySpreadConstraints.add(t);
    return this;
  }

  /** The last spread constraint's node taints policy (Honor / Ignore). */
  public MakePod spreadTaintsPolicy(String policy) {
    p.spec.topologySpreadConstraints.get(p.spec.topologySpreadConstraints.size() - 1).nodeTaintsPolicy = policy;
    return this;
  }

  public MakePod toleration(String key, String operator, String value, String effect) {
    if (p.spec.tolerations == null) p.spec.tolerations = new ArrayList<>();
    Toleration t = new Toleration();
    t.key = key;
    t.operator = operator;
    t.value = value;
    t.effect = effect;
    p.spec.tolerations.add(t);
    return this;
  }

  public MakePod hostPort(int port) {
    if (c.ports == null) c.ports = new ArrayList<>();
    ContainerPort cp = new ContainerPort();
    cp.containerPort = port;
    cp.hostPort = port;
    c.ports.add(cp);
    return this;
  }

  public MakePod pvc(String claimName) {
    if (p.spec.volumes == null) p.spec.volumes = new ArrayList<>();
    Volume v = new Volume();
    v.name = claimName;
    v.persistentVolumeClaim = new Volume.PersistentVolumeClaimSource();
    v.persistentVolumeClaim.claimName = claimName;
    p.spec.volumes.add(v);
    return this;
  }

  /** A controller owner reference (the pod belongs to a ReplicaSet with this uid). */
  public MakePod ownedBy(String kind, String name, String uid) {
    OwnerReference o = new OwnerReference();
    o.apiVersion = "apps/v1";
    o.kind = kind;
    o.name = name;
    o.uid = uid;
    o.controller = true;
    if (p.metadata.ownerReferences == null) p.metadata.ownerReferences = new ArrayList<>();
    p.metadata.ownerReferences.add(o);
    return this;
  }

  public MakePod schedulingGate(String name) {
    if (p.spec.schedulingGates == null) p.spec.schedulingGates = new ArrayList<>();
    kubelab.api.core.PodSpec.SchedulingGate g = new kubelab.api.core.PodSpec.SchedulingGate();
    g.name = name;
    p.spec.schedulingGates.add(g);
    return this;
  }

  public MakePod startTime(String rfc3339) {
    if (p.status == null) p.status = new PodStatus();
    p.status.startTime = rfc3339;
    return this;
  }

  public MakePod creationTimestamp(String rfc3339) {
    p.metadata.creationTimestamp = rfc3339;
    return this;
  }

  public MakePod terminating() {
    p.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
    return this;
  }

  public Pod obj() {
    return p;
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }
}
