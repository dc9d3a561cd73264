package kubelab.cri;

/**
 * A CRI call failed. The code follows the gRPC status codes a CRI runtime returns (containerd
 * and CRI-O answer an unknown id with NotFound), so the kubelet can tell "gone" from "broken".
 */
public class CriException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The gRPC status codes CRI runtimes use. */
  public enum Code { NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, ALREADY_EXISTS, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN }

  private final Code code;

  public CriException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public CriException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static CriException notFound(String what, String id) {
    return new CriException(Code.NOT_FOUND, "could not find " + what + " \"" + id + "\"");
  }
}
