package kubelab.apiserver.rest;

import kubelab.api.registry.ResourceType;
import kubelab.apiserver.auth.UserInfo;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.ApiResponse;
import kubelab.apiserver.http.RequestInfo;

/** One resource request on its way through the handlers. */
public record Call(ApiRequest req, ApiResponse resp, RequestInfo info, ResourceType type, UserInfo user) {
  public String namespace() {
    return info.namespace();
  }

  public String name() {
    return info.name();
  }

  public boolean dryRun() {
    return req.params("dryRun").contains("All");
  }
}
