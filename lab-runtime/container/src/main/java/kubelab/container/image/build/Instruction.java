package kubelab.container.image.build;

import java.util.List;
import java.util.Map;

/**
 * One parsed Dockerfile instruction: the keyword (upper case), its {@code --flag=value} options,
 * its arguments, whether they were written in exec (JSON array) form, the source line where it
 * starts and the original text (continuation lines joined), which build output and history show.
 *
 * <p>For exec form, {@code args} are the array's strings; for shell form of RUN, CMD,
 * ENTRYPOINT and HEALTHCHECK's command, {@code args} holds the command text as one string; for
 * every other instruction {@code args} are the whitespace-separated words (quotes removed).
 */
public record Instruction(String keyword, Map<String, String> flags, List<String> args, boolean execForm,
                          int line, String original, String rest) {
  public Instruction {
    flags = Map.copyOf(flags);
    args = List.copyOf(args);
  }

  /** The instruction's text after the keyword and flags, as written (for shell-form commands). */
  public String text() {
    return rest;
  }
}
