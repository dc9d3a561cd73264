package kubelab.api.meta;

import java.util.List;
import java.util.Map;

/** metadata of every object (k8s.io/apimachinery ObjectMeta, the fields KubeLab uses). */
public class ObjectMeta extends Extensible {
  public String name;
  public String generateName;
  public String namespace;
  public String uid;
  public String resourceVersion;
  public Long generation;
  /** RFC 3339, second precision, UTC (e.g. 2026-01-01T00:00:00Z), as the API server writes it. */
  public String creationTimestamp;
  public String deletionTimestamp;
  public Long deletionGracePeriodSeconds;
  public Map<String, String> labels;
  public Map<String, String> annotations;
  public List<OwnerReference> ownerReferences;
  public List<String> finalizers;

  public ObjectMeta() {}

  public ObjectMeta(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public String label(String key) {
    return labels == null ? null : labels.get(key);
  }
}
