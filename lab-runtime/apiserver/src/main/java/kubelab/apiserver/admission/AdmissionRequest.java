package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.auth.UserInfo;

/**
 * What an admission plugin sees (k8s.io/apiserver admission.Attributes): the operation, the kind
 * and subresource, the object as it will be stored (mutating plugins may change it), the object
 * before an update or delete, and the user.
 */
public record AdmissionRequest(
    Operation operation,
    ResourceType type,
    String subresource,
    String namespace,
    String name,
    ObjectNode object,
    ObjectNode oldObject,
    UserInfo user,
    boolean dryRun) {

  public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

  public boolean is(String group, String plural) {
    return type.group().equals(group) && type.plural().equals(plural);
  }

  public boolean mainResource() {
    return subresource == null || subresource.isEmpty();
  }
}
