package kubelab.container;

/**
 * A container operation failed for a reason the user can act on; the message is one sentence
 * that says what was wrong and what to do. Carries Docker's exit codes: 125 when the runtime
 * itself failed (bad flag, unknown image, name in use), 126 when the command cannot be invoked,
 * 127 when it cannot be found. The shell turns it into {@code lab: <message>} and that exit code.
 */
public class ContainerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Docker's exit codes for failures of {@code docker run} itself (Docker 27 docs, "Exit status"). */
  public static final int RUNTIME_FAILED = 125;
  public static final int CANNOT_INVOKE = 126;
  public static final int NOT_FOUND = 127;

  private final int exitCode;

  public ContainerException(String message) {
    this(RUNTIME_FAILED, message);
  }

  public ContainerException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = RUNTIME_FAILED;
  }

  public int exitCode() {
    return exitCode;
  }
}
