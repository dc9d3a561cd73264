package kubelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An error the API server answered with: a {@code Status} object (Kubernetes API conventions,
 * "Response Status Kind") carrying an HTTP code, a machine-readable reason and a message.
 *
 * <p>{@link #of} maps it to a subclass by reason first and code second, as
 * k8s.io/apimachinery/pkg/api/errors does ({@code IsNotFound}, {@code IsConflict}, ...), so callers
 * write {@code catch (ApiException.NotFound e)}. The subclasses are nested here because together
 * they are one concept: the error taxonomy.
 */
public class ApiException extends KubeClientException {
  private final int code;
  private final String reason;
  private final String statusMessage;
  private final JsonNode status;

  /** One entry of {@code details.causes}: for Invalid, a field path and what is wrong with it. */
  public record Cause(String reason, String message, String field) {}

  protected ApiException(int code, String reason, String message, JsonNode status) {
    super(code + " " + (reason == null || reason.isEmpty() ? "" : reason + ": ") + message);
    this.code = code;
    this.reason = reason == null ? "" : reason;
    this.statusMessage = message;
    this.status = status;
  }

  /** HTTP status code (404, 409, 410, ...). */
  public int code() {
    return code;
  }

  /** The Status reason ("NotFound", "AlreadyExists", "Conflict", "Expired", ...), or "" if none. */
  public String reason() {
    return reason;
  }

  /** The Status message, as kubectl prints it after "Error from server (Reason): ". */
  public String statusMessage() {
    return statusMessage;
  }

  /** The Status object as the server sent it, or null if the body was not a Status. */
  public JsonNode status() {
    return status;
  }

  /** {@code details.causes}, empty when the server gave none. */
  public List<Cause> causes() {
    List<Cause> out = new ArrayList<>();
    if (status != null) {
      for (JsonNode c : status.path("details").path("causes")) {
        out.add(new Cause(text(c, "reason"), text(c, "message"), text(c, "field")));
      }
    }
    return out;
  }

  /** Seconds the server asked the client to wait ({@code details.retryAfterSeconds} or Retry-After), or 0. */
  public int retryAfterSeconds() {
    return status == null ? 0 : status.path("details").path("retryAfterSeconds").asInt(0);
  }

  private static String text(JsonNode n, String f) {
    JsonNode v = n.get(f);
    return v == null || v.isNull() ? null : v.asText();
  }

  /**
   * Builds the exception for an error response. {@code status} is the parsed body if it was a
   * Status (may be null), {@code fallbackMessage} is used when it was not.
   */
  public static ApiException of(int code, JsonNode status, String fallbackMessage) {
    String reason = status == null ? "" : status.path("reason").asText("");
    String message = status == null ? fallbackMessage : status.path("message").asText(fallbackMessage);
    if (status != null && status.has("code") && status.get("code").asInt() != 0) code = status.get("code").asInt();
    switch (reason) {
      case "NotFound": return new NotFound(code, reason, message, status);
      case "AlreadyExists": return new AlreadyExists(code, reason, message, status);
      case "Conflict": return new Conflict(code, reason, message, status);
      case "Gone": case "Expired": return new Gone(code, reason, message, status);
      case "Forbidden": return new Forbidden(code, reason, message, status);
      case "Unauthorized": return new Unauthorized(code, reason, message, status);
      case "Invalid": return new Invalid(code, reason, message, status);
      case "BadRequest": return new BadRequest(code, reason, message, status);
      case "TooManyRequests": return new TooManyRequests(code, reason, message, status);
      case "UnsupportedMediaType": return new UnsupportedMediaType(code, reason, message, status);
      default: break;
    }
    switch (code) {
      case 400: return new BadRequest(code, reason, message, status);
      case 401: return new Unauthorized(code, reason, message, status);
      case 403: return new Forbidden(code, reason, message, status);
      case 404: return new NotFound(code, reason, message, status);
      case 409: return new Conflict(code, reason, message, status);
      case 410: return new Gone(code, reason, message, status);
      case 415: return new UnsupportedMediaType(code, reason, message, status);
      case 422: return new Invalid(code, reason, message, status);
      case 429: return new TooManyRequests(code, reason, message, status);
      default: break;
    }
    if (code >= 500) return new ServerError(code, reason, message, status);
    return new ApiException(code, reason, message, status);
  }

  public static boolean isNotFound(Throwable t) {
    return t instanceof NotFound;
  }

  public static boolean isConflict(Throwable t) {
    return t instanceof Conflict;
  }

  public static boolean isAlreadyExists(Throwable t) {
    return t instanceof AlreadyExists;
  }

  /** 410: the resourceVersion asked for is older than the server keeps (watch or continue token). */
  public static boolean isGone(Throwable t) {
    return t instanceof Gone;
  }

  /** 404 NotFound. */
  public static final class NotFound extends ApiException {
    NotFound(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 409 AlreadyExists: a create of a name that is taken. */
  public static final class AlreadyExists extends ApiException {
    AlreadyExists(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 409 Conflict: an update with a stale resourceVersion ("the object has been modified"). */
  public static final class Conflict extends ApiException {
    Conflict(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 410 Gone / Expired: "too old resource version"; a reflector relists. */
  public static final class Gone extends ApiException {
    Gone(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 403 Forbidden: authenticated, but RBAC (or admission) said no. */
  public static final class Forbidden extends ApiException {
    Forbidden(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 401 Unauthorized: no or bad credentials. */
  public static final class Unauthorized extends ApiException {
    Unauthorized(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 422 Invalid: validation failed; {@link #causes()} names the fields. */
  public static final class Invalid extends ApiException {
    Invalid(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 400 BadRequest. */
  public static final class BadRequest extends ApiException {
    BadRequest(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 429 TooManyRequests: server-side throttling; see {@link #retryAfterSeconds()}. */
  public static final class TooManyRequests extends ApiException {
    TooManyRequests(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 415: e.g. a patch type the server does not support for this resource. */
  public static final class UnsupportedMediaType extends ApiException {
    UnsupportedMediaType(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }

  /** 5xx: InternalError, ServiceUnavailable, Timeout. */
  public static final class ServerError extends ApiException {
    ServerError(int c, String r, String m, JsonNode s) { super(c, r, m, s); }
  }
}
