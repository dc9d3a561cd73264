package kubelab.scheduler.framework;

import java.util.List;

/**
 * Implemented by plugins that can reject pods: the cluster events after which a pod they rejected
 * is worth retrying. A rejecting plugin that does not implement this gets every event.
 */
public interface EnqueueExtensions {
  List<ClusterEvent> eventsToRegister();
}
