package kubelab.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.cgroups.Cgroup;
import kubelab.container.net.Bridge;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.Json;
import kubelab.container.sys.Proc;

/**
 * {@code lab inspect}: a container as JSON shaped like {@code docker inspect} where the concepts
 * match (Id, Created, Path, Args, State.{Status,Running,Paused,OOMKilled,Pid,ExitCode,...},
 * Config, HostConfig, GraphDriver, Mounts, NetworkSettings), plus what a learner wants to see
 * that Docker hides: the namespace inodes next to the host's, the cgroup directories with their
 * live values, and the supervisor's pid.
 *
 * <p>{@link #path} evaluates {@code -f State.Pid} (also Docker's {@code {{.State.Pid}}}).
 */
public final class Inspect {
  private Inspect() {}

  public static Map<String, Object> of(LinuxRuntime rt, ContainerRecord r) {
    ContainerState s = rt.state(r);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Id", r.id);
    m.put("Created", r.created);
    m.put("Path", r.args.isEmpty() ? (r.pause ? "/pause" : "") : r.args.get(0));
    m.put("Args", r.args.size() > 1 ? r.args.subList(1, r.args.size()) : List.of());
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("Status", s.status());
    st.put("Running", s.running());
    st.put("Paused", s.status().equals("paused"));
    st.put("Restarting", false);
    st.put("OOMKilled", s.oomKilled());
    st.put("Dead", false);
    st.put("Pid", s.pid());
    st.put("ExitCode", s.exitCode());
    st.put("Error", s.error() == null ? "" : s.error());
    st.put("StartedAt", s.startedAt().isEmpty() ? "0001-01-01T00:00:00Z" : s.startedAt());
    st.put("FinishedAt", s.finishedAt().isEmpty() ? "0001-01-01T00:00:00Z" : s.finishedAt());
    Health health = rt.health(r);
    if (health != null) st.put("Health", health.toJson());
    m.put("State", st);
    m.put("Image", r.imageId);
    m.put("Name", "/" + r.name);
    m.put("LogPath", r.logPath);
    m.put("RestartCount", 0);
    m.put("Driver", "overlay");
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("Hostname", r.hostname);
    cfg.put("User", r.user);
    cfg.put("OpenStdin", r.interactive);
    cfg.put("Env", r.env);
    cfg.put("Cmd", r.args);
    cfg.put("Image", r.image);
    cfg.put("WorkingDir", r.workingDir);
    cfg.put("Labels", r.labels);
    cfg.put("StopSignal", r.stopSignal);
    if (!r.healthTest.isEmpty()) { // Docker's HealthConfig: durations in nanoseconds, 0 for the default
      Map<String, Object> hc = new LinkedHashMap<>();
      hc.put("Test", r.healthTest);
      hc.put("Interval", r.healthInterval);
      hc.put("Timeout", r.healthTimeout);
      hc.put("StartPeriod", r.healthStartPeriod);
      hc.put("Retries", r.healthRetries);
      cfg.put("Healthcheck", hc);
    }
    m.put("Config", cfg);
    Map<String, Object> hc = new LinkedHashMap<>();
    hc.put("NetworkMode", r.networkMode);
    hc.put("Binds", r.volumes);
    hc.put("AutoRemove", r.autoRemove);
    hc.put("ReadonlyRootfs", r.readOnly);
    hc.put("Memory", r.memory);
    hc.put("MemorySwap", r.memorySwap == 0 && r.memory > 0 ? 2 * r.memory : r.memorySwap);
    hc.put("NanoCpus", r.cpuQuotaUs * 1000L * 1_000_000L / (Params.CPU_PERIOD_US * 1000L));
    hc.put("CpuShares", r.cpuShares);
    hc.put("CpusetCpus", r.cpusetCpus == null ? "" : r.cpusetCpus);
    hc.put("CpusetMems", r.cpusetMems == null ? "" : r.cpusetMems);
    hc.put("PidsLimit", r.pidsLimit);
    hc.put("CgroupParent", r.cgroupParent);
    hc.put("UsernsMode", r.userns ? "private" : ""); // Docker: "" (the daemon's default) or "host"
    if (r.userns) {
      Map<String, Object> idm = new LinkedHashMap<>();
      idm.put("UidMap", r.uidMap);
      idm.put("GidMap", r.gidMap);
      hc.put("IdMappings", idm);
    }
    List<String> caps = new ArrayList<>();
    for (int i = 0; i < Caps.NAMES.size(); i++) if ((r.caps & (1L << i)) != 0) caps.add("CAP_" + Caps.NAMES.get(i));
    hc.put("Capabilities", caps);
    m.put("HostConfig", hc);
    Map<String, Object> gd = new LinkedHashMap<>();
    gd.put("Name", "overlay");
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("LowerDir", String.join(":", r.lowerDirs));
    data.put("InitDir", r.initDir == null ? "" : r.initDir);
    data.put("UpperDir", r.upperDir == null ? "" : r.upperDir);
    data.put("WorkDir", r.workDir == null ? "" : r.workDir);
    // The merged view exists only inside the container's mount namespace; the host sees it here:
    data.put("MergedDir", s.running() ? "/proc/" + s.pid() + "/root" : "");
    gd.put("Data", data);
    m.put("GraphDriver", gd);
    List<Object> mounts = new ArrayList<>();
    for (String v : r.volumes) {
      ContainerSpec.Volume vol = ContainerSpec.Volume.parse(v);
      Map<String, Object> mo = new LinkedHashMap<>();
      mo.put("Type", "bind");
      mo.put("Source", vol.hostPath());
      mo.put("Destination", vol.containerPath());
      mo.put("Mode", vol.readOnly() ? "ro" : "");
      mo.put("RW", !vol.readOnly());
      mounts.add(mo);
    }
    m.put("Mounts", mounts);
    Map<String, Object> ns = new LinkedHashMap<>();
    ns.put("IPAddress", r.ip);
    ns.put("IPPrefixLen", r.ip.isEmpty() ? 0 : Bridge.fromEnvironment().prefix());
    ns.put("Gateway", r.ip.isEmpty() ? "" : Bridge.fromEnvironment().gateway());
    ns.put("Bridge", r.ip.isEmpty() ? "" : Params.BRIDGE_NAME);
    ns.put("HostVeth", r.veth);
    ns.put("SandboxKey", s.running() ? "/proc/" + s.pid() + "/ns/net" : "");
    m.put("NetworkSettings", ns);
    // --- KubeLab: what Docker does not show
    m.put("NetworkMode", r.networkMode);
    if (s.running()) {
      Map<String, Object> nsi = new LinkedHashMap<>();
      for (String k : List.of("pid", "mnt", "uts", "ipc", "net", "user", "cgroup")) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("Container", Proc.nsInode(s.pid(), k));
        pair.put("Host", Proc.nsInode(1, k));
        nsi.put(k, pair);
      }
      m.put("Namespaces", nsi);
    }
    m.put("CgroupVersion", r.cgroupVersion);
    if (!r.cgroupPath.isEmpty()) {
      Cgroup cg = rt.cgroup(r);
      boolean live = cg.exists();
      m.put("CgroupPath", live ? cg.primaryDir().toString() : "");
      Map<String, Object> paths = new LinkedHashMap<>();
      cg.dirsByController().forEach((k, v) -> paths.put(k, v.toString()));
      m.put("CgroupPaths", live ? paths : Map.of());
      m.put("Cgroup", live ? cg.liveValues() : Map.of());
    } else {
      m.put("CgroupPath", "");
    }
    Map<String, Object> sup = new LinkedHashMap<>();
    sup.put("Pid", s.running() ? r.shimPid : 0);
    sup.put("ExitFile", rt.store().dir(r.id).resolve("exit").toString());
    m.put("Supervisor", sup);
    return m;
  }

  /**
   * Evaluates a dotted path ({@code State.Pid}, {@code .State.Pid}, {@code {{.State.Pid}}},
   * {@code NetworkSettings.IPAddress}) on an inspect object. Strings print bare, maps and lists
   * as JSON. Throws ContainerException naming the fields that exist when a part is unknown.
   */
  @SuppressWarnings("unchecked")
  public static String path(Map<String, Object> obj, String expr) {
    String e = expr.trim();
    if (e.startsWith("{{") && e.endsWith("}}")) e = e.substring(2, e.length() - 2).trim();
    if (e.startsWith("json ")) e = e.substring(5).trim();
    if (e.startsWith(".")) e = e.substring(1);
    Object cur = obj;
    if (!e.isEmpty()) {
      for (String part : e.split("\\.")) {
        if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) {
          String have = cur instanceof Map<?, ?> mm ? String.join(", ", ((Map<String, Object>) mm).keySet()) : "(not an object)";
          throw new ContainerException("template: no field \"" + part + "\" in -f " + expr + ": fields here are " + have);
        }
        cur = m.get(part);
      }
    }
    if (cur == null) return "<no value>";
    if (cur instanceof String s) return s;
    if (cur instanceof Map || cur instanceof List) return Json.write(cur, false);
    return String.valueOf(cur);
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
