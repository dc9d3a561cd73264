package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** What a pod should run and where it may run (core/v1 PodSpec, the fields KubeLab uses). */
public class PodSpec extends Extensible {
  public List<Container> initContainers;
  public List<Container> containers = new java.util.ArrayList<>();
  public List<Volume> volumes;
  /** Always (default), OnFailure, Never. */
  public String restartPolicy;
  public Long terminationGracePeriodSeconds;
  public Long activeDeadlineSeconds;
  public String dnsPolicy;
  public Map<String, String> nodeSelector;
  public String serviceAccountName;
  public Boolean automountServiceAccountToken;
  /** Set by the scheduler through the binding subresource, or by the user to skip scheduling. */
  public String nodeName;
  public Boolean hostNetwork;
  public Boolean hostPID;
  public Boolean hostIPC;
  public Boolean shareProcessNamespace;
  public String hostname;
  public String subdomain;
  public Affinity affinity;
  public String schedulerName;
  public List<Toleration> tolerations;
  public String priorityClassName;
  public Integer priority;
  /** PreemptLowerPriority (default) or Never. */
  public String preemptionPolicy;
  public List<TopologySpreadConstraint> topologySpreadConstraints;
  public Map<String, Quantity> overhead;
  public List<SchedulingGate> schedulingGates;

  /** Blocks scheduling until removed (PreEnqueue); {@code name} identifies who will remove it. */
  public static class SchedulingGate extends Extensible {
    public String name;
  }
}
