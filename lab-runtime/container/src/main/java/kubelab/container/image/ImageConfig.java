package kubelab.container.image;

import java.util.List;
import java.util.Map;

/**
 * The runtime part of an OCI image config ({@code config} in the config JSON): what a container
 * made from the image runs, and how. Null fields mean "not set".
 *
 * <p>Command resolution follows Docker: the container runs {@code entrypoint + cmd}; a command
 * given on {@code lab run} replaces {@code cmd}; with neither, run fails ("no command specified").
 */
public record ImageConfig(
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    Map<String, String> labels,
    Healthcheck healthcheck,
    String stopSignal) {

  public static final ImageConfig EMPTY =
      new ImageConfig(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
          null, null, null, null, Map.of(), null, null);

  /** HEALTHCHECK: {@code test} is Docker's form (["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]). */
  public record Healthcheck(List<String> test, long intervalNanos, long timeoutNanos,
                            long startPeriodNanos, int retries) {}
}
