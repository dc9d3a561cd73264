package kubelab.apiserver.admission;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import kubelab.store.KvStore;

/** The built-in admission chain, in Kubernetes 1.32's recommended order. */
public final class BuiltinAdmission {
  private BuiltinAdmission() {}

  public static List<AdmissionPlugin> plugins(KvStore store, Clock clock) {
    List<AdmissionPlugin> p = new ArrayList<>();
    return p;
  }
}
