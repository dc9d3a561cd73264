package kubelab.container.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the runtime knows about one container, as stored in
 * {@code <root>/containers/<id>/container.json}. The configuration part is written once at
 * create; the state part (pids, start time, IP) when the container starts. How a container
 * ended is not here: its supervisor writes that to the {@code exit} file next to it, so the
 * record is never written by two processes.
 *
 * <p>Plain mutable fields: the runtime reads a record, changes it, and writes it back whole
 * (atomically, by rename), always under the container's own lock.
 */
public final class ContainerRecord {
  // --- configuration (create)
  public String id;
  public String name;
  public String created;            // ISO-8601 instant
  public String image;              // as the user wrote it; "" for a sandbox
  public String imageId = "";
  public List<String> args = new ArrayList<>();   // the full command: entrypoint + cmd
  public List<String> env = new ArrayList<>();
  public String workingDir = "";
  public String user = "";
  public String hostname = "";
  public List<String> volumes = new ArrayList<>(); // HOST:CTR[:ro]
  public String networkMode = "bridge";
  public long memory, memorySwap, cpuQuotaUs, cpuShares, pidsLimit;
  public String cpusetCpus, cpusetMems;
  public boolean readOnly, autoRemove, interactive, pause;
  public Map<String, String> labels = new LinkedHashMap<>();
  public String joinNet, joinIpc, joinUts, joinPid;   // container ids
  public String cgroupParent;
  public long caps;
  public String logPath;
  public String stopSignal = "SIGTERM";
  public List<String> lowerDirs = new ArrayList<>();  // overlay lowerdir, topmost first (init layer first)
  public String upperDir, workDir, mergedDir, initDir;
  public List<String> healthTest = new ArrayList<>();  // HEALTHCHECK: ["CMD", ...] or ["CMD-SHELL", "..."]; empty: none
  public long healthInterval, healthTimeout, healthStartPeriod; // nanoseconds, 0: Docker's default
  public int healthRetries;
  public boolean userns;            // a user namespace of its own
  public String uidMap = "", gidMap = "";   // "0 100000 65536" (inside outside count) when userns
  // --- state (start)
  public String status = "created";   // created | starting | running (as last written; see LinuxRuntime.state)
  public long pid, pidStart, shimPid, shimStart, starterPid, starterStart;
  public String startedAt = "";
  public String ip = "";
  public String veth = "";
  public String cgroupVersion = "", cgroupPath = "";
  public String error = "";

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", name);
    m.put("created", created);
    m.put("image", image);
    m.put("imageId", imageId);
    m.put("args", args);
    m.put("env", env);
    m.put("workingDir", workingDir);
    m.put("user", user);
    m.put("hostname", hostname);
    m.put("volumes", volumes);
    m.put("networkMode", networkMode);
    m.put("memory", memory);
    m.put("memorySwap", memorySwap);
    m.put("cpuQuotaUs", cpuQuotaUs);
    m.put("cpuShares", cpuShares);
    m.put("pidsLimit", pidsLimit);
    m.put("cpusetCpus", cpusetCpus);
    m.put("cpusetMems", cpusetMems);
    m.put("readOnly", readOnly);
    m.put("autoRemove", autoRemove);
    m.put("interactive", interactive);
    m.put("pause", pause);
    m.put("labels", labels);
    m.put("joinNet", joinNet);
    m.put("joinIpc", joinIpc);
    m.put("joinUts", joinUts);
    m.put("joinPid", joinPid);
    m.put("cgroupParent", cgroupParent);
    m.put("caps", caps);
    m.put("logPath", logPath);
    m.put("stopSignal", stopSignal);
    m.put("lowerDirs", lowerDirs);
    m.put("upperDir", upperDir);
    m.put("workDir", workDir);
    m.put("mergedDir", mergedDir);
    m.put("initDir", initDir);
    m.put("healthTest", healthTest);
    m.put("healthInterval", healthInterval);
    m.put("healthTimeout", healthTimeout);
    m.put("healthStartPeriod", healthStartPeriod);
    m.put("healthRetries", healthRetries);
    m.put("userns", userns);
    m.put("uidMap", uidMap);
    m.put("gidMap", gidMap);
    m.put("status", status);
    m.put("pid", pid);
    m.put("pidStart", pidStart);
    m.put("shimPid", shimPid);
    m.put("shimStart", shimStart);
    m.put("starterPid", starterPid);
    m.put("starterStart", starterStart);
    m.put("startedAt", startedAt);
    m.put("ip", ip);
    m.put("veth", veth);
    m.put("cgroupVersion", cgroupVersion);
    m.put("cgroupPath", cgroupPath);
    m.put("error", error);
    return m;
  }

  @SuppressWarnings("unchecked")
  public static ContainerRecord fromJson(Map<String, Object> m) {
    ContainerRecord r = new ContainerRecord();
    r.id = str(m, "id");
    r.name = str(m, "name");
    r.created = str(m, "created");
    r.image = str(m, "image");
    r.imageId = str(m, "imageId");
    r.args = list(m, "args");
    r.env = list(m, "env");
    r.workingDir = str(m, "workingDir");
    r.user = str(m, "user");
    r.hostname = str(m, "hostname");
    r.volumes = list(m, "volumes");
    r.networkMode = str(m, "networkMode");
    r.memory = num(m, "memory");
    r.memorySwap = num(m, "memorySwap");
    r.cpuQuotaUs = num(m, "cpuQuotaUs");
    r.cpuShares = num(m, "cpuShares");
    r.pidsLimit = num(m, "pidsLimit");
    r.cpusetCpus = (String) m.get("cpusetCpus");
    r.cpusetMems = (String) m.get("cpusetMems");
    r.readOnly = bool(m, "readOnly");
    r.autoRemove = bool(m, "autoRemove");
    r.interactive = bool(m, "interactive");
    r.pause = bool(m, "pause");
    Object l = m.get("labels");
    if (l instanceof Map<?, ?> lm) for (Map.Entry<?, ?> e : lm.entrySet()) r.labels.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    r.joinNet = (String) m.get("joinNet");
    r.joinIpc = (String) m.get("joinIpc");
    r.joinUts = (String) m.get("joinUts");
    r.joinPid = (String) m.get("joinPid");
    r.cgroupParent = (String) m.get("cgroupParent");
    r.caps = num(m, "caps");
    r.logPath = (String) m.get("logPath");
    r.stopSignal = str(m, "stopSignal");
    r.lowerDirs = list(m, "lowerDirs");
    r.upperDir = (String) m.get("upperDir");
    r.workDir = (String) m.get("workDir");
    r.mergedDir = (String) m.get("mergedDir");
    r.initDir = (String) m.get("initDir");
    r.healthTest = list(m, "healthTest");
    r.healthInterval = num(m, "healthInterval");
    r.healthTimeout = num(m, "healthTimeout");
    r.healthStartPeriod = num(m, "healthStartPeriod");
    r.healthRetries = (int) num(m, "healthRetries");
    r.userns = bool(m, "userns");
    r.uidMap = str(m, "uidMap");
    r.gidMap = str(m, "gidMap");
    r.status = str(m, "status");
    r.pid = num(m, "pid");
    r.pidStart = num(m, "pidStart");
    r.shimPid = num(m, "shimPid");
    r.shimStart = num(m, "shimStart");
    r.starterPid = num(m, "starterPid");
    r.starterStart = num(m, "starterStart");
    r.startedAt = str(m, "startedAt");
    r.ip = str(m, "ip");
    r.veth = str(m, "veth");
    r.cgroupVersion = str(m, "cgroupVersion");
    r.cgroupPath = str(m, "cgroupPath");
    r.error = str(m, "error");
    return r;
  }

  private static String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? "" : v.toString();
  }

  private static long num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.longValue() : 0;
  }

  private static boolean bool(Map<String, Object> m, String k) {
    return Boolean.TRUE.equals(m.get(k));
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Map<String, Object> m, String k) {
    Object v = m.get(k);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
    return out;
  }
}
