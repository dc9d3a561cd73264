package kubelab.shell;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one line on stderr and a non-zero exit code.
 *
 * <p>A user's mistake (bad flag value, unknown image, name in use, not root) must read as a
 * sentence that says what was wrong and what to do, never as a stack trace. Components throw
 * exceptions whose message is that sentence. An exception without a message is a bug in KubeLab:
 * it is reported as an internal error, and {@code LAB_DEBUG=1} shows the stack trace.
 *
 * <p>Exit codes: an exception may carry its own through {@link CommandLine.IExitCodeGenerator}
 * (the runtime uses Docker's 125/126/127); otherwise 1. Usage errors are picocli's (2).
 */
final class Errors implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    Throwable t = unwrap(ex);
    boolean debug = "1".equals(System.getenv("LAB_DEBUG"));
    String msg = t.getMessage();
    if (msg == null || msg.isBlank() || t instanceof NullPointerException
        || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException) {
      cl.getErr().println("lab: internal error (" + t.getClass().getSimpleName()
          + (msg == null ? "" : ": " + msg) + "); this is a KubeLab bug"
          + (debug ? "" : ": rerun with LAB_DEBUG=1 for the stack trace and report it"));
      debug = true;
    } else {
      cl.getErr().println("lab: " + msg);
    }
    if (debug && "1".equals(System.getenv("LAB_DEBUG"))) t.printStackTrace(cl.getErr());
    cl.getErr().flush();
    if (t instanceof CommandLine.IExitCodeGenerator g) return g.getExitCode();
    // The runtime's failures carry Docker's codes: 125 (run failed), 126 (cannot invoke), 127 (not found).
    if (t instanceof kubelab.container.ContainerException ce) return ce.exitCode();
    // An unknown or bad image fails `lab run` with 125 (docker run's code); the image commands
    // themselves (lab image ..., commit, export) fail with 1, as docker image/commit/export do.
    if (t instanceof kubelab.container.image.ImageException) {
      return cl.getCommand() != null && cl.getCommand().getClass().getPackageName().equals("kubelab.shell.image") ? 1 : 125;
    }
    return 1;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.lang.reflect.UndeclaredThrowableException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
