package kubelab.scheduler.plugins.volumebinding;

import kubelab.api.core.PersistentVolume;

/** Shares the local-PV builder with tests in other packages. */
public final class VolumeBindingTestSupport {
  private VolumeBindingTestSupport() {}

  public static PersistentVolume localPv(String name, String node, String sc) {
    return VolumeBindingTest.localPv(name, node, sc);
  }
}
