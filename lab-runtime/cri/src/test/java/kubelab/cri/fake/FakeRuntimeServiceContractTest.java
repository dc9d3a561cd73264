package kubelab.cri.fake;

import kubelab.cri.RuntimeService;
import kubelab.cri.testing.RuntimeServiceContract;

/** The fake keeps the same contract as the Linux runtime. */
class FakeRuntimeServiceContractTest extends RuntimeServiceContract {
  private final FakeRuntimeService fake = new FakeRuntimeService();

  @Override
  protected RuntimeService runtime() {
    return fake;
  }
}
