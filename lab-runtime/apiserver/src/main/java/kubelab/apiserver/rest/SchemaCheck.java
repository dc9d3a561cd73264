package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.registry.ResourceType;

/**
 * Decoding checks against a kind's schema: type errors (a string where an integer belongs) and,
 * with {@code fieldValidation=Strict} or {@code Warn}, fields the schema does not know.
 */
public interface SchemaCheck {
  /**
   * Type errors, in Go's decoder wording ("json: cannot unmarshal string into Go struct field
   * DeploymentSpec.spec.replicas of type int32"); empty when the object decodes.
   */
  List<String> typeErrors(ResourceType t, ObjectNode obj);

  /** Paths of fields the schema does not know ({@code spec.containers[0].imagee}). */
  List<String> unknownFields(ResourceType t, ObjectNode obj);

  SchemaCheck NONE = new SchemaCheck() {
    @Override
    public List<String> typeErrors(ResourceType t, ObjectNode obj) {
      return List.of();
    }

    @Override
    public List<String> unknownFields(ResourceType t, ObjectNode obj) {
      return List.of();
    }
  };
}
