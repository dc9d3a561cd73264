package kubelab.scheduler.framework;

import java.time.Duration;
import kubelab.api.core.Pod;

/**
 * Permit: the last gate before binding. Success lets the pod go on; WAIT holds it (in the binding
 * cycle, not blocking the next pod) until another plugin allows or rejects it through
 * {@link WaitingPods}, or until the timeout, which rejects it.
 */
public interface PermitPlugin extends Plugin {
  Result permit(CycleState state, Pod pod, String nodeName);

  record Result(Status status, Duration timeout) {
    public static Result allow() {
      return new Result(Status.SUCCESS, Duration.ZERO);
    }
  }
}
