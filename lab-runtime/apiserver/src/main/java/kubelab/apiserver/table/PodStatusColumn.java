package kubelab.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The READY, STATUS and RESTARTS cells of a pod, by Kubernetes 1.32's rules (printPod):
 * <ul>
 *   <li>STATUS starts as the phase (or status.reason, e.g. Evicted); an init container that has
 *       not finished gives {@code Init:N/M}, {@code Init:CrashLoopBackOff}, {@code Init:Error};
 *       then app containers, last to first, give their waiting reason (ContainerCreating,
 *       CrashLoopBackOff, ImagePullBackOff), terminated reason (Completed, Error, OOMKilled) or
 *       {@code ExitCode:N}/{@code Signal:N}; a pod being deleted is {@code Terminating};
 *   <li>READY counts ready running containers (and started restartable init containers, i.e.
 *       native sidecars) out of all of them;
 *   <li>RESTARTS sums restart counts and adds how long ago the last one was: {@code 3 (40s ago)}.
 * </ul>
 */
record PodStatusColumn(String ready, String reason, String restarts) {

  static PodStatusColumn of(JsonNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    int total = spec.path("containers").size();
    int readyCount = 0;
    int restarts = 0;
    int sidecarRestarts = 0;
    Instant lastRestart = null;
    Instant lastSidecarRestart = null;
    String phase = status.path("phase").asText("");
    String reason = status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
    for (JsonNode c : status.path("conditions")) {
      if ("PodScheduled".equals(c.path("type").asText()) && "SchedulingGated".equals(c.path("reason").asText())) {
        reason = "SchedulingGated";
      }
    }
    Map<String, JsonNode> inits = new HashMap<>();
    for (JsonNode c : spec.path("initContainers")) {
      inits.put(c.path("name").asText(), c);
      if (restartable(c)) total++;
    }
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode cs = initStatuses.get(i);
      restarts += cs.path("restartCount").asInt(0);
      Instant fin = finishedAt(cs);
      if (fin != null && (lastRestart == null || lastRestart.isBefore(fin))) lastRestart = fin;
      boolean sidecar = restartable(inits.get(cs.path("name").asText()));
      if (sidecar) {
        sidecarRestarts += cs.path("restartCount").asInt(0);
        if (fin != null && (lastSidecarRestart == null || lastSidecarRestart.isBefore(fin))) lastSidecarRestart = fin;
      }
      JsonNode term = cs.path("state").path("terminated");
      JsonNode wait = cs.path("state").path("waiting");
      if (term.isObject() && term.path("exitCode").asInt(0) == 0) continue;
      if (sidecar && cs.path("started").asBoolean(false)) {
        if (cs.path("ready").asBoolean(false)) readyCount++;
        continue;
      }
      if (term.isObject()) {
        String r = term.path("reason").asText("");
        if (r.isEmpty()) {
          int sig = term.path("signal").asInt(0);
          reason = sig != 0 ? "Init:Signal:" + sig : "Init:ExitCode:" + term.path("exitCode").asInt(0);
        } else {
          reason = "Init:" + r;
        }
      } else if (wait.isObject() && !wait.path("reason").asText("").isEmpty()
          && !"PodInitializing".equals(wait.path("reason").asText())) {
        reason = "Init:" + wait.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing || condition(status, "Initialized")) {
      restarts = sidecarRestarts;
      lastRestart = lastSidecarRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode cs = statuses.get(i);
        restarts += cs.path("restartCount").asInt(0);
        Instant fin = finishedAt(cs);
        if (fin != null && (lastRestart == null || lastRestart.isBefore(fin))) lastRestart = fin;
        JsonNode wait = cs.path("state").path("waiting");
        JsonNode term = cs.path("state").path("terminated");
        if (wait.isObject() && !wait.path("reason").asText("").isEmpty()) {
          reason = wait.path("reason").asText();
        } else if (term.isObject() && !term.path("reason").asText("").isEmpty()) {
          reason = term.path("reason").asText();
        } else if (term.isObject()) {
          int sig = term.path("signal").asInt(0);
          reason = sig != 0 ? "Signal:" + sig : "ExitCode:" + term.path("exitCode").asInt(0);
        } else if (cs.path("ready").asBoolean(false) && cs.path("state").path("running").isObject()) {
          hasRunning = true;
          readyCount++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = condition(status, "Ready") ? "Running" : "NotReady";
      }
    }
    boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
    if (deleting && "NodeLost".equals(status.path("reason").asText())) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }
    String restartsCell = Integer.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartsCell = restarts + " (" + Ages.human(java.time.Duration.between(lastRestart, now)) + " ago)";
    }
    return new PodStatusColumn(readyCount + "/" + total, reason, restartsCell);
  }

  private static boolean restartable(JsonNode initContainer) {
    return initContainer != null && "Always".equals(initContainer.path("restartPolicy").asText(""));
  }

  private static Instant finishedAt(JsonNode cs) {
    String f = cs.path("lastState").path("terminated").path("finishedAt").asText("");
    try {
      return f.isEmpty() ? null : Instant.parse(f);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }
}
