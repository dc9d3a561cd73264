package kubelab.client;

/** The patch formats of PATCH, named by their Content-Type (apimachinery types.PatchType). */
public enum PatchType {
  /** RFC 6902: a list of operations ({@code [{"op":"replace","path":"/spec/replicas","value":3}]}). */
  JSON("application/json-patch+json"),
  /** RFC 7386: a partial object; null deletes a field; lists are replaced whole. */
  MERGE("application/merge-patch+json"),
  /** Kubernetes' merge that merges lists by key (containers by name); built-in types only. */
  STRATEGIC_MERGE("application/strategic-merge-patch+json"),
  /** Server-side apply (needs fieldManager). */
  APPLY("application/apply-patch+yaml");

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }
}
