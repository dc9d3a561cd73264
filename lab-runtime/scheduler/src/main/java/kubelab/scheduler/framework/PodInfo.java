package kubelab.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import kubelab.api.core.Container;
import kubelab.api.core.ContainerPort;
import kubelab.api.core.Pod;
import kubelab.api.core.PodAffinity;
import kubelab.api.core.PodAffinityTerm;
import kubelab.api.core.Toleration;
import kubelab.api.core.Volume;
import kubelab.api.meta.OwnerReference;
import kubelab.scheduler.Params;

/**
 * A pod with everything the plugins read many times computed once: its resource requests as
 * longs, the "non-zero" requests used for scoring, host ports, parsed affinity terms, priority,
 * claimed volumes and image names (Kubernetes' framework.PodInfo plus its cached PodResource).
 *
 * <p>Built when a pod enters the queue or the cache; immutable afterwards (the Pod object must
 * not be changed while a PodInfo refers to it: the scheduler copies pods it modifies).
 *
 * <p>Requests follow resourcehelper.PodRequests (v1.32): containers add up, each init container
 * is a peak on its own (plus the restartable "sidecar" init containers started before it), the
 * larger of the two wins, and the pod overhead is added.
 */
public final class PodInfo {
  private final Pod pod;
  private final String namespace;
  private final String name;
  private final String key;
  private final int priority;
  private final Resource requests;
  private final long nonZeroMilliCpu;
  private final long nonZeroMemory;
  private final List<HostPort> hostPorts;
  private final List<AffinityTerm> requiredAffinity;
  private final List<AffinityTerm> requiredAntiAffinity;
  private final List<WeightedAffinityTerm> preferredAffinity;
  private final List<WeightedAffinityTerm> preferredAntiAffinity;
  private final List<Toleration> tolerations;
  private final List<String> claimNames;
  private final List<String> images;
  private final String controllerUid;

  /** A host port a container claims on its node. {@code ip} "0.0.0.0" means every address. */
  public record HostPort(String ip, String protocol, int port) {}

  public record WeightedAffinityTerm(AffinityTerm term, int weight) {}

  public PodInfo(Pod pod) {
    this.pod = pod;
    this.namespace = pod.metadata.namespace == null ? "default" : pod.metadata.namespace;
    this.name = pod.metadata.name;
    this.key = namespace + "/" + name;
    this.priority = pod.spec.priority == null ? 0 : pod.spec.priority;

    Resource sum = new Resource();
    Resource nonZero = new Resource();
    for (Container c : pod.spec.containers) {
      Resource r = requestsOf(c);
      sum.add(r);
      nonZero.add(nonZeroOf(c, r));
    }
    if (pod.spec.initContainers != null) {
      Resource sidecars = new Resource();
      Resource sidecarsNonZero = new Resource();
      Resource initPeak = new Resource();
      Resource initPeakNonZero = new Resource();
      for (Container c : pod.spec.initContainers) {
        Resource r = requestsOf(c);
        Resource nz = nonZeroOf(c, r);
        if (isSidecar(c)) {
          sum.add(r);
          nonZero.add(nz);
          sidecars.add(r);
          sidecarsNonZero.add(nz);
          initPeak.setMax(sidecars);
          initPeakNonZero.setMax(sidecarsNonZero);
        } else {
          Resource t = r.copy();
          t.add(sidecars);
          initPeak.setMax(t);
          Resource tnz = nz.copy();
          tnz.add(sidecarsNonZero);
          initPeakNonZero.setMax(tnz);
        }
      }
      sum.setMax(initPeak);
      nonZero.setMax(initPeakNonZero);
    }
    if (pod.spec.overhead != null) {
      Resource o = Resource.of(pod.spec.overhead);
      sum.add(o);
      nonZero.add(o);
    }
    sum.allowedPodNumber = 0;
    this.requests = sum;
    this.nonZeroMilliCpu = nonZero.milliCpu;
    this.nonZeroMemory = nonZero.memory;

    List<HostPort> ports = new ArrayList<>();
    for (Container c : pod.spec.containers) {
      if (c.ports == null) continue;
      for (ContainerPort p : c.ports) {
        if (p.hostPort == null || p.hostPort <= 0) continue;
        String ip = p.hostIP == null || p.hostIP.isEmpty() ? "0.0.0.0" : p.hostIP;
        String proto = p.protocol == null || p.protocol.isEmpty() ? "TCP" : p.protocol;
        ports.add(new HostPort(ip, proto, p.hostPort));
      }
    }
    this.hostPorts = List.copyOf(ports);

    PodAffinity aff = pod.spec.affinity == null ? null : pod.spec.affinity.podAffinity;
    PodAffinity anti = pod.spec.affinity == null ? null : pod.spec.affinity.podAntiAffinity;
    this.requiredAffinity = required(aff);
    this.requiredAntiAffinity = required(anti);
    this.preferredAffinity = preferred(aff);
    this.preferredAntiAffinity = preferred(anti);
    this.tolerations = pod.spec.tolerations == null ? List.of() : List.copyOf(pod.spec.tolerations);

    List<String> claims = new ArrayList<>();
    if (pod.spec.volumes != null) {
      for (Volume v : pod.spec.volumes) {
        if (v.persistentVolumeClaim != null && v.persistentVolumeClaim.claimName != null) {
          claims.add(v.persistentVolumeClaim.claimName);
        }
      }
    }
    this.claimNames = List.copyOf(claims);

    List<String> imgs = new ArrayList<>();
    if (pod.spec.initContainers != null) for (Container c : pod.spec.initContainers) imgs.add(normalizedImageName(c.image));
    for (Container c : pod.spec.containers) imgs.add(normalizedImageName(c.image));
    this.images = Collections.unmodifiableList(imgs);

    String owner = null;
    if (pod.metadata.ownerReferences != null) {
      for (OwnerReference o : pod.metadata.ownerReferences) {
        if (Boolean.TRUE.equals(o.controller)) owner = o.uid != null ? o.uid : o.kind + "/" + o.name;
      }
    }
    this.controllerUid = owner;
  }

  private PodInfo(PodInfo o, Pod pod) {
    this.pod = pod;
    this.namespace = o.namespace;
    this.name = o.name;
    this.key = o.key;
    this.priority = o.priority;
    this.requests = o.requests;
    this.nonZeroMilliCpu = o.nonZeroMilliCpu;
    this.nonZeroMemory = o.nonZeroMemory;
    this.hostPorts = o.hostPorts;
    this.requiredAffinity = o.requiredAffinity;
    this.requiredAntiAffinity = o.requiredAntiAffinity;
    this.preferredAffinity = o.preferredAffinity;
    this.preferredAntiAffinity = o.preferredAntiAffinity;
    this.tolerations = o.tolerations;
    this.claimNames = o.claimNames;
    this.images = o.images;
    this.controllerUid = o.controllerUid;
  }

  /**
   * The same precomputed view for another version of the pod whose spec did not change (the
   * assumed copy with {@code nodeName} set, or a status update): nothing is parsed again.
   */
  public PodInfo withPod(Pod other) {
    return new PodInfo(this, other);
  }

  private List<AffinityTerm> required(PodAffinity a) {
    if (a == null || a.requiredDuringSchedulingIgnoredDuringExecution == null) return List.of();
    List<AffinityTerm> out = new ArrayList<>();
    for (PodAffinityTerm t : a.requiredDuringSchedulingIgnoredDuringExecution) out.add(AffinityTerm.of(namespace, t));
    return List.copyOf(out);
  }

  private List<WeightedAffinityTerm> preferred(PodAffinity a) {
    if (a == null || a.preferredDuringSchedulingIgnoredDuringExecution == null) return List.of();
    List<WeightedAffinityTerm> out = new ArrayList<>();
    for (PodAffinity.WeightedPodAffinityTerm w : a.preferredDuringSchedulingIgnoredDuringExecution) {
      if (w.podAffinityTerm == null) continue;
      out.add(new WeightedAffinityTerm(AffinityTerm.of(namespace, w.podAffinityTerm), w.weight == null ? 0 : w.weight));
    }
    return List.copyOf(out);
  }

  private static Resource requestsOf(Container c) {
    return c.resources == null ? new Resource() : Resource.of(c.resources.requests);
  }

  /**
   * A container's requests with the scoring defaults for a <em>missing</em> CPU or memory request
   * (an explicit 0 stays 0, as resourcehelper's NonMissingContainerRequests does).
   */
  private static Resource nonZeroOf(Container c, Resource r) {
    Map<String, ?> req = c.resources == null || c.resources.requests == null ? Map.of() : c.resources.requests;
    Resource n = new Resource();
    n.milliCpu = req.containsKey("cpu") ? r.milliCpu : Params.DEFAULT_MILLI_CPU_REQUEST;
    n.memory = req.containsKey("memory") ? r.memory : Params.DEFAULT_MEMORY_REQUEST;
    return n;
  }

  private static boolean isSidecar(Container c) {
    return "Always".equals(c.unknownFields().get("restartPolicy"));
  }

  /** Adds ":latest" to an image without a tag, as the ImageLocality plugin does. */
  public static String normalizedImageName(String image) {
    if (image == null) return "";
    if (image.indexOf('@') >= 0) return image;
    return image.lastIndexOf(':') <= image.lastIndexOf('/') ? image + ":latest" : image;
  }

  public Pod pod() { return pod; }
  public String namespace() { return namespace; }
  public String name() { return name; }
  /** {@code namespace/name}. */
  public String key() { return key; }
  public String uid() { return pod.metadata.uid; }
  public Map<String, String> labels() { return pod.metadata.labels; }
  public int priority() { return priority; }
  /** Summed requests (CPU in millicores, memory in bytes); {@code allowedPodNumber} is 0. */
  public Resource requests() { return requests; }
  /** CPU request with 100m for each container that names none (scoring only). */
  public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
  /** Memory request with 200 MiB for each container that names none (scoring only). */
  public long nonZeroMemory() { return nonZeroMemory; }
  public List<HostPort> hostPorts() { return hostPorts; }
  public List<AffinityTerm> requiredAffinityTerms() { return requiredAffinity; }
  public List<AffinityTerm> requiredAntiAffinityTerms() { return requiredAntiAffinity; }
  public List<WeightedAffinityTerm> preferredAffinityTerms() { return preferredAffinity; }
  public List<WeightedAffinityTerm> preferredAntiAffinityTerms() { return preferredAntiAffinity; }
  public List<Toleration> tolerations() { return tolerations; }
  /** Names of the PersistentVolumeClaims the pod mounts (in its namespace). */
  public List<String> claimNames() { return claimNames; }
  /** Normalized image names of init and regular containers. */
  public List<String> images() { return images; }
  /** The UID of the controller owning the pod (its ReplicaSet, StatefulSet...), or null. */
  public String controllerUid() { return controllerUid; }
  public boolean hasAffinity() { return pod.spec.affinity != null && (pod.spec.affinity.podAffinity != null || pod.spec.affinity.podAntiAffinity != null); }
  public boolean hasRequiredAntiAffinity() { return !requiredAntiAffinity.isEmpty(); }
  public boolean isTerminating() { return pod.metadata.deletionTimestamp != null; }

  @Override
  public String toString() {
    return key;
  }
}
