package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** The observed state of a pod, written by the scheduler (conditions) and the kubelet. */
public class PodStatus extends Extensible {
  /** Pending, Running, Succeeded, Failed, Unknown. */
  public String phase;
  public List<kubelab.api.meta.Condition> conditions;
  public String message;
  public String reason;
  public String nominatedNodeName;
  public String hostIP;
  public String podIP;
  public List<Map<String, String>> podIPs;
  public String startTime;
  public List<ContainerStatus> initContainerStatuses;
  public List<ContainerStatus> containerStatuses;
  /** Guaranteed, Burstable, BestEffort. */
  public String qosClass;
}
