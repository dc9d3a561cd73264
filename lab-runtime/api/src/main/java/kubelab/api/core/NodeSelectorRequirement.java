package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** {@code key operator values}: operators In, NotIn, Exists, DoesNotExist, Gt, Lt. */
public class NodeSelectorRequirement extends Extensible {
  public String key;
  public String operator;
  public List<String> values;

  public NodeSelectorRequirement() {}

  public NodeSelectorRequirement(String key, String operator, List<String> values) {
    this.key = key;
    this.operator = operator;
    this.values = values;
  }
}
