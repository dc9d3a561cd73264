package kubelab.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.registry.ResourceType;
import kubelab.api.validation.FieldError;

/**
 * An API failure, carried as the Kubernetes {@code Status} object it is answered with.
 *
 * <p>The factories reproduce k8s.io/apimachinery/pkg/api/errors of Kubernetes 1.32: the reason
 * (NotFound, AlreadyExists, Conflict, Invalid, ...), the HTTP code and the message wording, since
 * learners read these messages in kubectl's output ("Error from server (NotFound): pods "web" not
 * found") and will meet the same ones at work.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  // Reasons (k8s.io/apimachinery/pkg/apis/meta/v1 StatusReason, Kubernetes 1.32).
  public static final String NOT_FOUND = "NotFound";
  public static final String ALREADY_EXISTS = "AlreadyExists";
  public static final String CONFLICT = "Conflict";
  public static final String INVALID = "Invalid";
  public static final String BAD_REQUEST = "BadRequest";
  public static final String FORBIDDEN = "Forbidden";
  public static final String UNAUTHORIZED = "Unauthorized";
  public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
  public static final String NOT_ACCEPTABLE = "NotAcceptable";
  public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
  public static final String EXPIRED = "Expired";
  public static final String GONE = "Gone";
  public static final String REQUEST_ENTITY_TOO_LARGE = "RequestEntityTooLarge";
  public static final String TOO_MANY_REQUESTS = "TooManyRequests";
  public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
  public static final String TIMEOUT = "Timeout";
  public static final String INTERNAL_ERROR = "InternalError";

  private final int code;
  private final String reason;
  private final ObjectNode details;

  public ApiError(int code, String reason, String message, ObjectNode details) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  public int code() { return code; }

  public String reason() { return reason; }

  public ObjectNode details() { return details; }

  /** The Status object this error is answered with. */
  public ObjectNode toStatus() {
    ObjectNode s = F.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", getMessage());
    if (reason != null && !reason.isEmpty()) s.put("reason", reason);
    if (details != null) s.set("details", details);
    s.put("code", code);
    return s;
  }

  private static ObjectNode details(String name, String group, String kind) {
    ObjectNode d = F.objectNode();
    if (name != null && !name.isEmpty()) d.put("name", name);
    if (group != null && !group.isEmpty()) d.put("group", group);
    if (kind != null && !kind.isEmpty()) d.put("kind", kind);
    return d;
  }

  // --- factories ------------------------------------------------------------------------------

  /** {@code pods "web" not found} (404). */
  public static ApiError notFound(ResourceType t, String name) {
    return notFound(t.groupResource(), t.group(), t.plural(), name);
  }

  public static ApiError notFound(String groupResource, String group, String plural, String name) {
    return new ApiError(404, NOT_FOUND, groupResource + " \"" + name + "\" not found",
        details(name, group, plural));
  }

  /** The URL names no resource: {@code the server could not find the requested resource} (404). */
  public static ApiError noSuchPath() {
    return new ApiError(404, NOT_FOUND, "the server could not find the requested resource", F.objectNode());
  }

  /** {@code pods "web" already exists} (409). */
  public static ApiError alreadyExists(ResourceType t, String name) {
    return new ApiError(409, ALREADY_EXISTS, t.groupResource() + " \"" + name + "\" already exists",
        details(name, t.group(), t.plural()));
  }

  /** {@code Operation cannot be fulfilled on pods "web": <why>} (409). */
  public static ApiError conflict(ResourceType t, String name, String why) {
    return conflict(t.groupResource(), t.group(), t.plural(), name, why);
  }

  public static ApiError conflict(String groupResource, String group, String plural, String name, String why) {
    return new ApiError(409, CONFLICT,
        "Operation cannot be fulfilled on " + groupResource + " \"" + name + "\": " + why,
        details(name, group, plural));
  }

  /** The optimistic-concurrency failure of an update with a stale resourceVersion (409). */
  public static final String OBJECT_MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try again";

  public static ApiError modified(ResourceType t, String name) {
    return conflict(t, name, OBJECT_MODIFIED);
  }

  /**
   * {@code Pod "web" is invalid: spec.containers[0].image: Required value} (422), with one cause
   * per field error.
   */
  public static ApiError invalid(String kind, String group, String name, List<FieldError> errors) {
    String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
    String agg = errors.size() == 1 ? errors.get(0).toString() : "[" + String.join(", ",
        errors.stream().map(FieldError::toString).toList()) + "]";
    ObjectNode d = details(name, group, kind);
    ArrayNode causes = d.putArray("causes");
    for (FieldError e : errors) {
      ObjectNode c = causes.addObject();
      c.put("reason", e.type().causeType);
      c.put("message", e.messageWithoutField());
      c.put("field", e.field());
    }
    return new ApiError(422, INVALID, qualifiedKind + " \"" + name + "\" is invalid: " + agg, d);
  }

  public static ApiError invalid(ResourceType t, String name, List<FieldError> errors) {
    return invalid(t.kind(), t.group(), name, errors);
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, BAD_REQUEST, message, null);
  }

  /** {@code pods "web" is forbidden: <why>} (403); {@code pods is forbidden: ...} without a name. */
  public static ApiError forbidden(String groupResource, String group, String plural, String name, String why) {
    String subject = name == null || name.isEmpty() ? groupResource : groupResource + " \"" + name + "\"";
    return new ApiError(403, FORBIDDEN, subject + " is forbidden: " + why, details(name, group, plural));
  }

  public static ApiError forbidden(ResourceType t, String name, String why) {
    return forbidden(t.groupResource(), t.group(), t.plural(), name, why);
  }

  public static ApiError unauthorized() {
    return new ApiError(401, UNAUTHORIZED, "Unauthorized", null);
  }

  public static ApiError methodNotAllowed() {
    return new ApiError(405, METHOD_NOT_ALLOWED,
        "the server does not allow this method on the requested resource", F.objectNode());
  }

  public static ApiError notAcceptable(String what) {
    return new ApiError(406, NOT_ACCEPTABLE, what, null);
  }

  public static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, UNSUPPORTED_MEDIA_TYPE, message, null);
  }

  /** 410 Expired, e.g. {@code too old resource version: 5 (120)} for a watch or list. */
  public static ApiError expired(String message) {
    return new ApiError(410, EXPIRED, message, null);
  }

  public static ApiError tooLarge(long limit) {
    return new ApiError(413, REQUEST_ENTITY_TOO_LARGE, "Request entity too large: limit is " + limit, null);
  }

  public static ApiError tooManyRequests(String message, ObjectNode details) {
    return new ApiError(429, TOO_MANY_REQUESTS, message, details);
  }

  public static ApiError serviceUnavailable(String message) {
    return new ApiError(503, SERVICE_UNAVAILABLE, message, null);
  }

  public static ApiError timeout(String message) {
    return new ApiError(504, TIMEOUT, message, null);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, INTERNAL_ERROR, "Internal error occurred: " + message, null);
  }
}
