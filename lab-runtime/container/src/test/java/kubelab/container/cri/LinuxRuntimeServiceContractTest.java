package kubelab.container.cri;

import kubelab.container.RuntimeFixture;
import kubelab.cri.RuntimeService;
import kubelab.cri.testing.RuntimeServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The Linux runtime keeps the CRI contract (the same suite the fake passes). */
class LinuxRuntimeServiceContractTest extends RuntimeServiceContract {
  private static RuntimeFixture fx;
  private static RuntimeService service;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
    service = new LinuxRuntimeService(fx.rt);
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  @Override
  protected RuntimeService runtime() {
    return service;
  }
}
