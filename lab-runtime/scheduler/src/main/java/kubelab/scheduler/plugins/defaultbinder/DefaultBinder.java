package kubelab.scheduler.plugins.defaultbinder;

import kubelab.api.core.Pod;
import kubelab.scheduler.framework.BindPlugin;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.Handle;
import kubelab.scheduler.framework.Status;

/**
 * DefaultBinder: binds through the API, {@code POST /api/v1/namespaces/NS/pods/NAME/binding} with
 * a Binding whose target is the node. The API server sets {@code spec.nodeName} (and the kubelet
 * on that node, watching pods bound to it, takes over). This is the one plugin that writes.
 */
public final class DefaultBinder implements BindPlugin {
  public static final String NAME = "DefaultBinder";
  private final Handle handle;

  public DefaultBinder(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status bind(CycleState state, Pod pod, String nodeName) {
    handle.api().bind(pod, nodeName);
    return Status.SUCCESS;
  }
}
