package kubelab.api.meta;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every model class: fields this model does not know survive a read-modify-write.
 *
 * <p>Kubernetes' API has far more fields than KubeLab's model names. A component that reads a Pod,
 * changes its status and writes it back must not drop the fields it never heard of, so every
 * unknown JSON property lands in {@link #unknownFields()} and is written out again as it came.
 *
 * <p>Model classes use public fields, like the Go structs of k8s.io/api, so code reads like
 * {@code pod.spec.containers.get(0).resources.requests}. A null field is an absent field.
 */
public abstract class Extensible {
  private Map<String, Object> unknown;

  @JsonAnySetter
  public void setUnknownField(String name, Object value) {
    if (unknown == null) unknown = new LinkedHashMap<>();
    unknown.put(name, value);
  }

  @JsonAnyGetter
  public Map<String, Object> unknownFields() {
    return unknown == null ? Map.of() : unknown;
  }
}
