package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** An environment variable: a literal value or a reference (valueFrom: configMapKeyRef, ...). */
public class EnvVar extends Extensible {
  public String name;
  public String value;
  public Map<String, Object> valueFrom;

  public EnvVar() {}

  public EnvVar(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
