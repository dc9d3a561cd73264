package kubelab.client;

import java.util.Map;
import kubelab.api.meta.KubeObject;

/**
 * An object of a kind the model has no class for (a Deployment, a ConfigMap, a custom resource):
 * apiVersion, kind and metadata are typed, every other top-level field ({@code spec},
 * {@code status}, {@code data}, ...) is kept as a JSON-shaped map and written back as it came.
 * client-go's {@code unstructured.Unstructured}, for this client's generic {@link ResourceType}s.
 */
public class Unstructured extends KubeObject {
  public Unstructured() {
    super(null, null);
  }

  public Unstructured(String apiVersion, String kind) {
    super(apiVersion, kind);
  }

  /** A top-level field other than apiVersion/kind/metadata, as maps, lists, strings and numbers; null if absent. */
  public Object get(String field) {
    return unknownFields().get(field);
  }

  /** Sets a top-level field (maps, lists, strings, numbers, booleans). */
  public Unstructured set(String field, Object value) {
    setUnknownField(field, value);
    return this;
  }

  /** A top-level field that is an object, e.g. {@code spec}; null if absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String field) {
    return (Map<String, Object>) unknownFields().get(field);
  }
}
