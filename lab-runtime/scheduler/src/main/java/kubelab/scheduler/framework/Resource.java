package kubelab.scheduler.framework;

import java.util.HashMap;
import java.util.Map;
import kubelab.api.resource.Quantity;

/**
 * An amount of each compute resource as plain numbers: CPU in millicores, memory and
 * ephemeral-storage in bytes, a pod count, and extended resources (GPUs, hugepages) by name.
 * Parsed once from the {@link Quantity} maps so that Filter compares longs, not decimals.
 * Not thread-safe; NodeInfo copies are made for snapshots.
 */
public final class Resource {
  public long milliCpu;
  public long memory;
  public long ephemeralStorage;
  public long allowedPodNumber;
  /** Extended and other scalar resources; null when there are none. */
  public Map<String, Long> scalar;

  public Resource() {}

  public Resource(long milliCpu, long memory) {
    this.milliCpu = milliCpu;
    this.memory = memory;
  }

  /** The resources of a ResourceList ({@code requests}, {@code allocatable}); null is empty. */
  public static Resource of(Map<String, Quantity> list) {
    Resource r = new Resource();
    r.add(list);
    return r;
  }

  public void add(Map<String, Quantity> list) {
    if (list == null) return;
    for (var e : list.entrySet()) {
      if (e.getValue() == null) continue;
      switch (e.getKey()) {
        case "cpu" -> milliCpu += e.getValue().milliValue();
        case "memory" -> memory += e.getValue().value();
        case "ephemeral-storage" -> ephemeralStorage += e.getValue().value();
        case "pods" -> allowedPodNumber += e.getValue().value();
        default -> addScalar(e.getKey(), e.getValue().value());
      }
    }
  }

  public void add(Resource o) {
    milliCpu += o.milliCpu;
    memory += o.memory;
    ephemeralStorage += o.ephemeralStorage;
    allowedPodNumber += o.allowedPodNumber;
    if (o.scalar != null) o.scalar.forEach(this::addScalar);
  }

  public void subtract(Resource o) {
    milliCpu -= o.milliCpu;
    memory -= o.memory;
    ephemeralStorage -= o.ephemeralStorage;
    allowedPodNumber -= o.allowedPodNumber;
    if (o.scalar != null) o.scalar.forEach((k, v) -> addScalar(k, -v));
  }

  /** Each field becomes the larger of this and {@code o} (init containers run one at a time). */
  public void setMax(Resource o) {
    milliCpu = Math.max(milliCpu, o.milliCpu);
    memory = Math.max(memory, o.memory);
    ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
    allowedPodNumber = Math.max(allowedPodNumber, o.allowedPodNumber);
    if (o.scalar != null) {
      for (var e : o.scalar.entrySet()) {
        if (scalar(e.getKey()) < e.getValue()) setScalar(e.getKey(), e.getValue());
      }
    }
  }

  public void addScalar(String name, long v) {
    if (scalar == null) scalar = new HashMap<>(4);
    scalar.merge(name, v, Long::sum);
  }

  public void setScalar(String name, long v) {
    if (scalar == null) scalar = new HashMap<>(4);
    scalar.put(name, v);
  }

  public long scalar(String name) {
    if (scalar == null) return 0;
    Long v = scalar.get(name);
    return v == null ? 0 : v;
  }

  /** The amount of one resource by its API name. */
  public long get(String name) {
    return switch (name) {
      case "cpu" -> milliCpu;
      case "memory" -> memory;
      case "ephemeral-storage" -> ephemeralStorage;
      case "pods" -> allowedPodNumber;
      default -> scalar(name);
    };
  }

  public boolean isZero() {
    if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) return false;
    if (scalar != null) for (long v : scalar.values()) if (v != 0) return false;
    return true;
  }

  public Resource copy() {
    Resource r = new Resource();
    r.milliCpu = milliCpu;
    r.memory = memory;
    r.ephemeralStorage = ephemeralStorage;
    r.allowedPodNumber = allowedPodNumber;
    if (scalar != null) r.scalar = new HashMap<>(scalar);
    return r;
  }

  /** Overwrites this with {@code o} (snapshot refresh without allocating a new object). */
  public void copyFrom(Resource o) {
    milliCpu = o.milliCpu;
    memory = o.memory;
    ephemeralStorage = o.ephemeralStorage;
    allowedPodNumber = o.allowedPodNumber;
    scalar = o.scalar == null ? null : new HashMap<>(o.scalar);
  }

  @Override
  public String toString() {
    return "cpu=" + milliCpu + "m memory=" + memory + " ephemeral-storage=" + ephemeralStorage
        + " pods=" + allowedPodNumber + (scalar == null ? "" : " " + scalar);
  }
}
