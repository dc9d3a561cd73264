package kubelab.raft.check;

/**
 * One client operation in a history: what was asked ({@code input}), what came back
 * ({@code output}), and when, in the history's own time unit. An operation whose outcome is
 * unknown (the client timed out: it may or may not have taken effect) has {@code output == null}
 * and {@code returned == Long.MAX_VALUE}; the checker may place it anywhere after its call, or
 * (equivalently) at the very end, where it affects nothing.
 *
 * @param client  who issued it; one client has at most one operation in flight
 * @param invoked time the client sent it
 * @param returned time the client received the answer, or {@link #UNKNOWN}
 */
public record Operation<I, O>(int client, I input, O output, long invoked, long returned) {
  public static final long UNKNOWN = Long.MAX_VALUE;

  public Operation {
    if (returned < invoked) throw new IllegalArgumentException("operation returns (" + returned + ") before it is invoked (" + invoked + ")");
  }

  public boolean outcomeUnknown() {
    return returned == UNKNOWN;
  }
}
