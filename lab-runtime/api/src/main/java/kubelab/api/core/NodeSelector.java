package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A node selector: the terms are ORed; within a term the requirements are ANDed. */
public class NodeSelector extends Extensible {
  public List<NodeSelectorTerm> nodeSelectorTerms;
}
