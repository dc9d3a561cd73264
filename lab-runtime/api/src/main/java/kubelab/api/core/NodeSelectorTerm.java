package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** Requirements on node labels (matchExpressions) and node fields (matchFields: metadata.name). */
public class NodeSelectorTerm extends Extensible {
  public List<NodeSelectorRequirement> matchExpressions;
  public List<NodeSelectorRequirement> matchFields;
}
