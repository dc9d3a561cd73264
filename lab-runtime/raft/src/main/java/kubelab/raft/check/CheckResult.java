package kubelab.raft.check;

/**
 * The verdict on a history. ILLEGAL comes with an explanation (which part, which operation could
 * not be placed); UNKNOWN means the search ran out of its step budget (see
 * {@code Params.CHECK_MAX_STEPS}) without a verdict.
 */
public record CheckResult(Outcome outcome, String explanation, long steps) {
  public enum Outcome { OK, ILLEGAL, UNKNOWN }

  public boolean ok() {
    return outcome == Outcome.OK;
  }
}
