package kubelab.api.meta;

/**
 * A condition of an object's status (PodCondition, NodeCondition, ...): a type, a status
 * ("True", "False", "Unknown"), and a machine-readable reason with a human message.
 */
public class Condition extends Extensible {
  public String type;
  public String status;
  public String reason;
  public String message;
  public String lastTransitionTime;
  public String lastHeartbeatTime;
  public String lastProbeTime;

  public Condition() {}

  public Condition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }
}
