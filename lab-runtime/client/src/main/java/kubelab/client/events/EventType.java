package kubelab.client.events;

/** The two event types of core/v1 (v1.EventTypeNormal, v1.EventTypeWarning). */
public final class EventType {
  private EventType() {}

  /** Nothing to worry about: Scheduled, Pulled, Created, Started. */
  public static final String NORMAL = "Normal";
  /** Something may be wrong: FailedScheduling, BackOff, Unhealthy. */
  public static final String WARNING = "Warning";
}
