package kubelab.scheduler.config;

/** The framework's extension points, with the field names KubeSchedulerConfiguration uses. */
public enum ExtensionPoint {
  PRE_ENQUEUE("preEnqueue", "PreEnqueue"),
  QUEUE_SORT("queueSort", "QueueSort"),
  PRE_FILTER("preFilter", "PreFilter"),
  FILTER("filter", "Filter"),
  POST_FILTER("postFilter", "PostFilter"),
  PRE_SCORE("preScore", "PreScore"),
  SCORE("score", "Score"),
  RESERVE("reserve", "Reserve"),
  PERMIT("permit", "Permit"),
  PRE_BIND("preBind", "PreBind"),
  BIND("bind", "Bind"),
  POST_BIND("postBind", "PostBind");

  private final String field;
  private final String title;

  ExtensionPoint(String field, String title) {
    this.field = field;
    this.title = title;
  }

  /** The YAML field name, e.g. "preFilter". */
  public String field() {
    return field;
  }

  /** The name in prose and in `lab explain scheduling --plugins`, e.g. "PreFilter". */
  public String title() {
    return title;
  }

  /** Parses a field name or title, case-insensitively ("score", "Score", "pre-filter"). */
  public static ExtensionPoint parse(String s) {
    String t = s.replace("-", "").replace("_", "");
    for (ExtensionPoint p : values()) {
      if (p.field.equalsIgnoreCase(t)) return p;
    }
    throw new IllegalArgumentException("unknown extension point \"" + s + "\" (one of: preEnqueue, queueSort, "
        + "preFilter, filter, postFilter, preScore, score, reserve, permit, preBind, bind, postBind)");
  }
}
