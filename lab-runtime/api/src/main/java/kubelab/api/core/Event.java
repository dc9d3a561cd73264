package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/**
 * A core/v1 Event: something that happened to an object, with a reason ("FailedScheduling",
 * "Scheduled", "Pulled", ...) and a message; {@code kubectl describe} lists them.
 */
public class Event extends kubelab.api.meta.KubeObject {
  public ObjectReference involvedObject;
  public String reason;
  public String message;
  /** Normal or Warning. */
  public String type;
  public Map<String, String> source;
  public String firstTimestamp;
  public String lastTimestamp;
  public Integer count;
  public String eventTime;
  public String reportingComponent;
  public String reportingInstance;
  public String action;

  public Event() {
    super("v1", "Event");
  }
}
