package kubelab.apiserver.admission;

import java.util.List;

/**
 * The admission chain: every mutating phase in order, then (after schema validation) every
 * validating phase in order, as kube-apiserver runs them.
 */
public final class Admission {
  private final List<AdmissionPlugin> plugins;

  public Admission(List<AdmissionPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  public List<AdmissionPlugin> plugins() {
    return plugins;
  }

  public void admit(AdmissionRequest r) {
    for (AdmissionPlugin p : plugins) p.admit(r);
  }

  public void validate(AdmissionRequest r) {
    for (AdmissionPlugin p : plugins) p.validate(r);
  }

  public static final Admission NONE = new Admission(List.of());
}
