package kubelab.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.image.ImageConfig;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.Json;

/**
 * A container's HEALTHCHECK: which probe it runs, and its result as {@code docker inspect} shows it
 * under {@code State.Health} (Docker 27: Status, FailingStreak, Log of the last 5 probes with
 * Start, End, ExitCode and Output).
 *
 * <p>The probes run in the container's supervisor (kubelab-shim, health.c), not in the CLI: a
 * detached container is checked with no KubeLab process running but its own supervisor, and the
 * probes stop when the container does. The supervisor writes the result to {@code health.json} in
 * the container's directory after each probe; this class reads it.
 *
 * @param status        starting, healthy or unhealthy
 * @param failingStreak consecutive failed probes
 * @param log           the last probes, oldest first: {Start, End, ExitCode, Output}
 */
public record Health(String status, int failingStreak, List<Map<String, Object>> log) {
  public static final String STARTING = "starting", HEALTHY = "healthy", UNHEALTHY = "unhealthy";
  /** The file the supervisor writes, in the container's directory. */
  public static final String FILE = "health.json";

  /** Docker's defaults when a HEALTHCHECK leaves a field unset (0): 30s, 30s, 0s, 3. */
  public static final long DEFAULT_INTERVAL_NS = 30_000_000_000L, DEFAULT_TIMEOUT_NS = 30_000_000_000L;
  public static final int DEFAULT_RETRIES = 3;

  /**
   * The health check a new container runs: the image's, with each field the flags set replacing
   * the image's (as dockerd merges them); none with {@code noHealthcheck} or HEALTHCHECK NONE.
   */
  static void configure(ContainerRecord r, ImageConfig.Healthcheck image, ImageConfig.Healthcheck flags, boolean none) {
    if (none) return;
    ImageConfig.Healthcheck h = image;
    if (flags != null) {
      h = new ImageConfig.Healthcheck(
          flags.test() != null && !flags.test().isEmpty() ? flags.test() : image == null ? null : image.test(),
          flags.intervalNanos() > 0 ? flags.intervalNanos() : image == null ? 0 : image.intervalNanos(),
          flags.timeoutNanos() > 0 ? flags.timeoutNanos() : image == null ? 0 : image.timeoutNanos(),
          flags.startPeriodNanos() > 0 ? flags.startPeriodNanos() : image == null ? 0 : image.startPeriodNanos(),
          flags.retries() > 0 ? flags.retries() : image == null ? 0 : image.retries());
    }
    if (h == null || h.test() == null || h.test().isEmpty() || h.test().get(0).equals("NONE")) return;
    if (!h.test().get(0).equals("CMD") && !h.test().get(0).equals("CMD-SHELL"))
      throw new ContainerException("invalid HEALTHCHECK test " + h.test() + ": it starts with CMD, CMD-SHELL or NONE");
    if (h.test().size() < 2) throw new ContainerException("HEALTHCHECK " + h.test().get(0) + " needs a command");
    if (h.test().size() > 64) throw new ContainerException("HEALTHCHECK has more than 63 arguments: use CMD-SHELL and a script");
    r.healthTest = new ArrayList<>(h.test());
    r.healthInterval = h.intervalNanos();
    r.healthTimeout = h.timeoutNanos();
    r.healthStartPeriod = h.startPeriodNanos();
    r.healthRetries = h.retries();
  }

  /** The probe's argv: CMD's arguments as they are, CMD-SHELL's string through /bin/sh -c. */
  static List<String> argv(List<String> test) {
    if (test.get(0).equals("CMD-SHELL")) return List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
    return test.subList(1, test.size());
  }

  /** Reads the supervisor's file; null when there is none yet (or it cannot be read). */
  @SuppressWarnings("unchecked")
  public static Health read(Path file) {
    try {
      // lenient decoding: a probe's output may be any bytes
      Map<String, Object> m = Json.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      List<Map<String, Object>> log = new ArrayList<>();
      if (m.get("Log") instanceof List<?> l) for (Object o : l) if (o instanceof Map<?, ?> e) log.add((Map<String, Object>) e);
      Object streak = m.get("FailingStreak");
      return new Health(String.valueOf(m.get("Status")), streak instanceof Number n ? n.intValue() : 0, log);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Status", status);
    m.put("FailingStreak", failingStreak);
    m.put("Log", log);
    return m;
  }

  /** What {@code docker ps} appends to "Up 5 seconds": "(health: starting)", "(healthy)", "(unhealthy)". */
  public String psSuffix() {
    return status.equals(STARTING) ? "(health: starting)" : "(" + status + ")";
  }
}
