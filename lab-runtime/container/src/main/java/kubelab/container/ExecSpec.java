package kubelab.container;

import java.util.List;

/**
 * A command to run in a running container ({@code lab exec}, CRI ExecSync). Null fields take the
 * container's values (user, working directory); {@code env} adds to the container's environment.
 */
public record ExecSpec(List<String> command, List<String> env, String user, String workingDir, boolean stdin) {
  public ExecSpec {
    command = List.copyOf(command);
    env = env == null ? List.of() : List.copyOf(env);
  }

  public static ExecSpec of(String... command) {
    return new ExecSpec(List.of(command), List.of(), null, null, false);
  }
}
