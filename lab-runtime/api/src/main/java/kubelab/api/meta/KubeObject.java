package kubelab.api.meta;

/**
 * A top-level API object: {@code apiVersion}, {@code kind} and {@code metadata}, like every object
 * served under /api and /apis (Kubernetes API conventions, "Types (Kinds)").
 */
public abstract class KubeObject extends Extensible {
  public String apiVersion;
  public String kind;
  public ObjectMeta metadata = new ObjectMeta();

  protected KubeObject(String apiVersion, String kind) {
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  /** {@code namespace/name}, or just {@code name} for cluster-scoped objects: the key informers use. */
  public String key() {
    return metadata.namespace == null || metadata.namespace.isEmpty()
        ? metadata.name
        : metadata.namespace + "/" + metadata.name;
  }
}
