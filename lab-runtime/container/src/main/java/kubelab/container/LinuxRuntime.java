package kubelab.container;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kubelab.container.cgroups.Cgroup;
import kubelab.container.cgroups.CgroupDriver;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageStore;
import kubelab.container.net.Bridge;
import kubelab.container.shim.ShimBinary;
import kubelab.container.shim.ShimProcess;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.ExitRecord;
import kubelab.container.state.StateStore;
import kubelab.container.sys.Proc;
import kubelab.container.sys.Signals;

/**
 * KubeLab's Linux container runtime: create, start, wait, stop, kill, remove, pause, exec,
 * logs, inspect. The CLI ({@code lab run ...}) and the CRI service use it; it knows nothing of
 * pods.
 *
 * <p>Starting a container is a numbered sequence (runc's order; {@code --trace} prints it):
 * <ol>
 *   <li>Java: mkdir the container's cgroup (one directory per v1 hierarchy, one on v2);</li>
 *   <li>Java: spawn the supervisor, kubelab-shim (the C stage), with the configuration;</li>
 *   <li>shim: clone(CLONE_NEWPID|CLONE_NEWNS|...) the container's first process, which blocks
 *       on a pipe;</li>
 *   <li>Java: write its pid to cgroup.procs, then the limits (memory, cpu, cpuset, pids);</li>
 *   <li>shim: plug its network namespace into the lab0 bridge (bridge mode: one RTM_NEWLINK
 *       creates the veth pair with eth0 inside; Java made sure lab0 exists before);</li>
 *   <li>shim: tell the child to go on; the child mounts the overlay rootfs, /proc, /dev, /sys,
 *       masks /proc paths, pivot_root()s, sets the hostname, drops capabilities and execve()s.</li>
 * </ol>
 * The supervisor then stays the container's parent: it logs its output, records its exit (and
 * OOM kill) in the {@code exit} file, and removes the cgroup. Everything the runtime knows is on
 * disk ({@link StateStore}), so any process can pick up where another stopped; {@link #state}
 * derives the truth from the record, the exit file and the live process.
 *
 * <p>Thread-safety: operations on different containers may run concurrently; operations on one
 * container should not (as with Docker, the outcome of two concurrent starts is one error).
 */
public final class LinuxRuntime {
  private final StateStore store;
  private final ImageStore images;
  private final String cgroupParent;
  private volatile CgroupDriver cgroups;
  private volatile Path shim;
  private volatile Bridge bridge;
  /** Supervisors this JVM started and still holds pipes to: waiting on them needs no polling. */
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private record Running(ShimProcess shim, CompletableFuture<ExitStatus> exit) {}

  static {
    // Spawn the shim with vfork+exec instead of posix_spawn through jspawnhelper: one exec less
    // per container (only effective if no process was started in this JVM before).
    if (System.getProperty("jdk.lang.Process.launchMechanism") == null)
      System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
  }

  /**
   * @param root   state directory ({@code /var/lib/kubelab} by default)
   * @param images the image store; may be null when only sandboxes (no image) are run
   */
  public LinuxRuntime(Path root, ImageStore images) {
    this(root, images, Params.DEFAULT_CGROUP_PARENT);
  }

  public LinuxRuntime(Path root, ImageStore images, String cgroupParent) {
    this(root, images, cgroupParent, null);
  }

  /**
   * @param cgroups the cgroup layout to make containers' cgroups in; null detects the host's.
   *                Tests pass {@link CgroupDriver#unified} to run containers in a cgroup v2
   *                hierarchy mounted beside a v1 host's controllers (see CgroupV2OnHybridHostTest).
   */
  public LinuxRuntime(Path root, ImageStore images, String cgroupParent, CgroupDriver cgroups) {
    this.store = new StateStore(root);
    this.images = images;
    this.cgroupParent = cgroupParent;
    this.cgroups = cgroups;
  }

  private CgroupDriver cgroupsOrDetect() {
    CgroupDriver d = cgroups;
    if (d == null) cgroups = d = CgroupDriver.detect();
    return d;
  }

  public Path root() {
    return store.root();
  }

  public StateStore store() {
    return store;
  }

  private Path shim() {
    Path s = shim;
    if (s == null) shim = s = ShimBinary.locate(store.root());
    return s;
  }

  private Bridge bridge() {
    Bridge b = bridge;
    if (b == null) bridge = b = Bridge.fromEnvironment();
    return b;
  }

  // ------------------------------------------------------------------------------------------
  // create

  /**
   * Creates a container: resolves the image and command, reserves the name, makes the
   * directories. Nothing is running and nothing exists in the kernel afterwards.
   */
  public ContainerRecord create(ContainerSpec spec) {
    requireRoot();
    UserNamespace.validate(spec);
    store.init();
    ContainerRecord r = new ContainerRecord();
    r.id = Names.newId();
    r.created = Times.now();
    List<Path> layers = List.of();
    ImageConfig ic = ImageConfig.EMPTY;
    if (spec.image() != null) {
      if (images == null) throw new ContainerException("no image store is configured");
      Image img;
      try {
        img = images.resolve(spec.image());
      } catch (kubelab.container.image.ImageException e) {
        throw new ContainerException(e.getMessage(), e); // run's failure: Docker's 125
      }
      r.image = spec.image();
      r.imageId = img.id();
      ic = img.config() == null ? ImageConfig.EMPTY : img.config();
      layers = images.layerDirs(img);
    } else {
      r.image = "";
    }
    r.args = command(spec, ic);
    if (r.args.isEmpty() && !spec.pause())
      throw new ContainerException("no command specified: give one after the image (lab run IMAGE COMMAND) or build the image with CMD or ENTRYPOINT");
    r.env = environment(ic.env(), spec.env());
    r.workingDir = spec.workingDir() != null ? spec.workingDir() : (ic.workingDir() == null ? "" : ic.workingDir());
    r.user = spec.user() != null ? spec.user() : (ic.user() == null ? "" : ic.user());
    r.stopSignal = ic.stopSignal() == null || ic.stopSignal().isBlank() ? "SIGTERM" : ic.stopSignal();
    Health.configure(r, ic.healthcheck(), spec.healthcheck(), spec.noHealthcheck());
    r.labels.putAll(spec.labels());
    NetworkMode net = spec.network();
    r.networkMode = net.toString();
    r.joinNet = spec.joinNet();
    r.joinIpc = spec.joinIpc();
    r.joinUts = spec.joinUts();
    r.joinPid = spec.joinPid();
    if (net.kind().equals("container")) r.joinNet = store.resolve(net.container());
    for (ContainerSpec.Volume v : spec.volumes()) r.volumes.add(v.toString());
    Resources res = spec.resources();
    r.memory = res.memory();
    r.memorySwap = res.memorySwap();
    if (r.memorySwap > 0 && r.memory > 0 && r.memorySwap < r.memory)
      throw new ContainerException("--memory-swap (" + Units.human(r.memorySwap) + ") must be at least --memory ("
          + Units.human(r.memory) + "): it is memory plus swap");
    if (r.memorySwap > 0 && r.memory == 0)
      throw new ContainerException("--memory-swap needs --memory as well: it is memory plus swap");
    r.cpuQuotaUs = res.cpuQuotaUs();
    r.cpuShares = res.cpuShares();
    r.cpusetCpus = res.cpusetCpus();
    r.cpusetMems = res.cpusetMems();
    r.pidsLimit = res.pidsLimit();
    r.readOnly = spec.readOnly();
    r.autoRemove = spec.autoRemove();
    r.interactive = spec.interactive();
    r.pause = spec.pause();
    r.cgroupParent = spec.cgroupParent() == null ? cgroupParent : spec.cgroupParent();
    r.caps = Caps.mask(spec.capAdd(), spec.capDrop());
    if (spec.userns()) {
      r.userns = true;
      r.uidMap = r.gidMap = UserNamespace.map();
    }
    r.hostname = spec.hostname() != null ? spec.hostname() : r.id.substring(0, Params.SHORT_ID);
    if (r.joinUts != null) {
      ContainerRecord t = store.read(r.joinUts);
      if (t != null) r.hostname = t.hostname; // the shared UTS namespace has the sandbox's name
    }
    String name = spec.name() == null || spec.name().isBlank() ? null : spec.name();
    if (name != null) Names.validate(name);
    // Reserve the name last among the checks, so a bad flag never leaves a reservation behind.
    if (name == null) {
      for (int i = 0; ; i++) {
        String n = Names.generateName() + (i == 0 ? "" : "_" + i);
        try {
          store.reserveName(n, r.id);
          name = n;
          break;
        } catch (ContainerException e) {
          if (i > 20) throw e;
        }
      }
    } else {
      store.reserveName(name, r.id);
    }
    r.name = name;
    Path dir = store.dir(r.id);
    // The directory is made under a temporary name and renamed into place with its record, so
    // containers/ never holds half a container, whenever this process may be killed.
    Path tmp = store.newTempDir(r.id);
    try {
      if (spec.image() != null) {
        Files.createDirectories(tmp.resolve("init").resolve("etc"));
        Files.createDirectory(tmp.resolve("upper"));
        Files.createDirectory(tmp.resolve("work"));
        r.initDir = dir.resolve("init").toString();
        r.lowerDirs.add(r.initDir);
        for (Path l : layers) r.lowerDirs.add(l.toString());
        r.upperDir = dir.resolve("upper").toString();
        r.workDir = dir.resolve("work").toString();
      }
      // Every container mounts its root at the same path, each in its own mount namespace: no
      // directory per container to make, and none to remove (removing a directory that was a
      // mount point in a dying namespace waits for the kernel to detach it).
      r.mergedDir = store.mountPoint().toString();
      r.logPath = spec.logPath() != null ? spec.logPath() : dir.resolve("container.log").toString();
      store.writeIn(tmp, r);
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      StateStore.deleteTree(tmp);
      store.releaseName(name, r.id);
      if (e instanceof ContainerException ce) throw ce;
      throw new ContainerException("cannot create the container's directories under " + dir + ": " + e.getMessage(), e);
    }
    return r;
  }

  /** Docker's rule: the command is ENTRYPOINT + CMD; --entrypoint clears the image's CMD. */
  static List<String> command(ContainerSpec spec, ImageConfig ic) {
    List<String> entry, cmd;
    if (spec.entrypoint() != null) {
      entry = spec.entrypoint();
      cmd = spec.command() == null ? List.of() : spec.command();
    } else {
      entry = ic.entrypoint() == null ? List.of() : ic.entrypoint();
      cmd = spec.command() != null && !spec.command().isEmpty() ? spec.command() : (ic.cmd() == null ? List.of() : ic.cmd());
    }
    List<String> all = new ArrayList<>(entry);
    all.addAll(cmd);
    return all;
  }

  static List<String> environment(List<String> image, List<String> extra) {
    Map<String, String> m = new LinkedHashMap<>();
    for (List<String> l : List.of(image == null ? List.<String>of() : image, extra)) {
      for (String kv : l) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          String v = System.getenv(kv); // Docker: "-e NAME" copies the caller's value
          if (v != null) m.put(kv, v);
        } else {
          m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
    }
    m.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : m.entrySet()) out.add(e.getKey() + "=" + e.getValue());
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // start

  /**
   * Starts a created container and returns once its command runs (or throws if it could not be
   * started: the container is left created, with the error, and nothing in the kernel).
   *
   * @param attach null for a detached container; otherwise its output is copied to these
   *               streams by a background thread until it exits (see {@link #waitFor})
   */
  public void start(String ref, Trace trace, Attach attach) {
    requireRoot();
    String id = store.resolve(ref);
    ContainerRecord r = store.read(id);
    if (r == null) throw new ContainerException("No such container: " + ref);
    ContainerState st = state(r);
    if (!st.status().equals("created") || !r.error.isEmpty() || Files.exists(store.dir(id).resolve("exit")))
      throw new ContainerException("container " + r.name + " is " + st.status() + (r.error.isEmpty() ? "" : " (it failed to start)")
          + ": KubeLab starts a container once; remove it (lab rm " + r.name + ") and run a new one");
    if (trace == null) trace = Trace.NONE;
    r.status = "starting";
    r.starterPid = Proc.self();
    r.starterStart = Proc.startTime(r.starterPid);
    store.write(r);

    Cgroup cg = cgroupsOrDetect().forContainer(r.cgroupParent, r.id);
    r.cgroupVersion = cg.version();
    r.cgroupPath = cg.relativePath();
    ShimProcess shimProc = null;
    boolean bridged = r.networkMode.equals("bridge");
    try {
      if (bridged) {
        r.ip = bridge().allocate(store.root() + " " + r.id);
        r.veth = Bridge.vethName(r.id);
      }
      writeInitLayer(r);
      if (bridged) bridge().ensureBridge(trace);
      if (r.userns) UserNamespace.prepare(r, store.dir(r.id), store.root(), store.mountPoint());
      cg.create(trace);
      ShimProcess.Config cfg = shimConfig(r, cg, trace.enabled(), attach != null);
      // The supervisor moves the child into the cgroup and writes the limits itself (it is the
      // child's parent): no round trip through Java before the child may go on, unless Java has
      // to plug the network into the new namespace first.
      for (Path p : cg.procsFiles()) cfg.put("procs", p.toString());
      cfg.put("procslabel", cg.procsLabel());
      for (Cgroup.Write w : cg.plan(resources(r))) cfg.put("limit", w.flag() + "\t" + w.file() + "\t" + w.value() + "\t" + w.hint());
      cfg.put("pidfile", store.dir(r.id).resolve("supervisor.pid").toString());
      if (bridged) { // the supervisor creates the veth pair itself (netlink.c), no round trip through Java
        cfg.put("ip", r.ip + "/" + bridge().prefix());
        cfg.put("veth", r.veth);
        cfg.put("bridge", Params.BRIDGE_NAME);
      }
      trace.step("spawn " + shim().getFileName() + " run   (the supervisor: it clones the container and stays its parent, like conmon)");
      shimProc = ShimProcess.spawn(shim(), "run", cfg);
      r.shimPid = shimProc.process().pid();
      r.shimStart = Proc.startTime(r.shimPid);
      long pid = 0;
      while (pid == 0) {
        ShimProcess.Frame f = shimProc.next();
        switch (f.type()) {
          case ShimProcess.TRACE -> trace.step(f.text());
          case ShimProcess.PID -> pid = Long.parseLong(f.text().trim());
          case ShimProcess.ERROR -> throw startError(f.text());
          default -> { }
        }
      }
      r.pid = pid;
      r.pidStart = Proc.startTime(pid);
      r.status = "running";
      r.startedAt = Times.now();
      store.write(r);
      while (true) {
        ShimProcess.Frame f = shimProc.next();
        if (f.type() == ShimProcess.TRACE) trace.step(f.text());
        else if (f.type() == ShimProcess.STARTED) break;
        else if (f.type() == ShimProcess.ERROR) throw startError(f.text());
      }
    } catch (IOException | RuntimeException e) {
      failStart(r, cg, shimProc, e);
      if (e instanceof ContainerException ce) throw ce;
      if (e instanceof EOFException) throw new ContainerException("the container's supervisor (kubelab-shim) exited before the container started: " + e.getMessage());
      throw new ContainerException("starting container " + r.name + " failed: " + e, e);
    }
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    Running run = new Running(shimProc, exit);
    running.put(r.id, run);
    if (attach == null) {
      shimProc.close();
      Process p = shimProc.process();
      p.onExit().thenRun(() -> exit.complete(exitOf(r.id)));
    } else {
      startPump(r, run, attach);
    }
  }

  /** Creates and starts; the convenience of {@code docker run}. Returns the record as started (pids set). */
  public ContainerRecord run(ContainerSpec spec, Trace trace, Attach attach) {
    ContainerRecord r = create(spec);
    try {
      start(r.id, trace, attach);
    } catch (ContainerException e) {
      if (spec.autoRemove()) remove(r.id, true);
      throw e;
    }
    ContainerRecord started = store.read(r.id);
    return started != null ? started : r;
  }

  private ContainerException startError(String text) {
    int sp = text.indexOf(' ');
    int code = ContainerException.RUNTIME_FAILED;
    String msg = text;
    if (sp > 0) {
      try {
        code = Integer.parseInt(text.substring(0, sp));
        msg = text.substring(sp + 1);
      } catch (NumberFormatException e) {
        // keep the whole text
      }
    }
    if (code == ContainerException.NOT_FOUND) msg += ": check the command and the image's PATH";
    return new ContainerException(code, msg);
  }

  /** Undo a failed start: nothing may be left in the kernel; the record keeps the error. */
  private void failStart(ContainerRecord r, Cgroup cg, ShimProcess shimProc, Throwable e) {
    if (shimProc != null) {
      try {
        shimProc.send('K');
      } catch (IOException ignored) {
        // already gone
      }
      shimProc.close();
      try {
        if (!shimProc.process().waitFor(5, TimeUnit.SECONDS)) {
          shimProc.process().destroyForcibly();
          shimProc.process().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
    if (r.pid > 0) Signals.kill(r.pid, Signals.SIGKILL);
    cg.destroy();
    if (!r.veth.isEmpty()) bridge().unplug(r.id);
    if (!r.ip.isEmpty()) bridge().release(r.ip);
    r.status = "created";
    r.pid = 0;
    r.ip = "";
    r.error = e.getMessage() == null ? e.toString() : e.getMessage();
    try {
      Files.deleteIfExists(store.dir(r.id).resolve("exit"));
    } catch (IOException ignored) {
      // the error in the record decides the state
    }
    store.write(r);
  }

  private ShimProcess.Config shimConfig(ContainerRecord r, Cgroup cg, boolean trace, boolean attach) {
    ShimProcess.Config c = new ShimProcess.Config();
    Path dir = store.dir(r.id);
    c.put("mode", "run");
    List<String> ns = new ArrayList<>();
    if (r.userns) ns.add("user"); // made first by the kernel: it owns every other new namespace
    ns.add("mnt");
    if (r.joinPid == null) ns.add("pid");
    if (r.joinUts == null) ns.add("uts");
    if (r.joinIpc == null) ns.add("ipc");
    boolean ownNet = r.joinNet == null && !r.networkMode.equals("host");
    if (ownNet) ns.add("net");
    c.put("ns", String.join(",", ns));
    if (r.joinNet != null) c.put("join", "net:" + nsPath(r.joinNet, "net"));
    if (r.joinIpc != null) c.put("join", "ipc:" + nsPath(r.joinIpc, "ipc"));
    if (r.joinUts != null) c.put("join", "uts:" + nsPath(r.joinUts, "uts"));
    if (r.joinPid != null) c.put("joinpid", nsPath(r.joinPid, "pid"));
    if (!r.lowerDirs.isEmpty()) {
      if (r.userns) UserNamespace.configure(c, r, dir); // the image layers through idmapped mounts
      else c.put("lower", String.join(":", r.lowerDirs));
      c.put("upper", r.upperDir);
      c.put("work", r.workDir);
    }
    c.put("rootfs", r.mergedDir);
    if (r.lowerDirs.isEmpty()) c.put("rootsrc", store.sandboxRoot().toString());
    c.put("hostname", r.hostname);
    c.putAll("arg", r.args);
    List<String> env = new ArrayList<>(r.env);
    boolean hasHostname = false;
    for (String e : env) hasHostname |= e.startsWith("HOSTNAME=");
    if (r.joinUts == null && !hasHostname) env.add("HOSTNAME=" + r.hostname);
    c.putAll("env", env);
    c.put("cwd", r.workingDir.isEmpty() ? "/" : r.workingDir);
    c.put("user", r.user.isEmpty() ? null : r.user);
    for (String v : r.volumes) {
      ContainerSpec.Volume vol = ContainerSpec.Volume.parse(v);
      if (!Files.exists(Path.of(vol.hostPath()))) {
        try {
          Files.createDirectories(Path.of(vol.hostPath())); // Docker creates a missing bind source
        } catch (IOException e) {
          throw new ContainerException("cannot create the volume source " + vol.hostPath() + ": " + e.getMessage());
        }
      }
      c.put("bind", (vol.readOnly() ? "ro" : "rw") + "\t" + vol.hostPath() + "\t" + vol.containerPath());
    }
    if (r.readOnly) c.put("readonly", 1);
    if (r.pause) c.put("pause", 1);
    c.put("log", r.logPath);
    c.put("exit", dir.resolve("exit").toString());
    if (attach) c.put("attach", 1);
    if (r.interactive) c.put("stdin", 1);
    if (trace) c.put("trace", 1);
    for (Path d : cg.dirs()) c.put("cgroup", d.toString());
    if (cg.oomFile() != null) {
      c.put("oomfile", cg.oomFile().toString());
      c.put("oomkey", cg.oomKey());
    }
    long caps = r.caps;
    if (cg.version().equals("v2")) caps &= ~(1L << Caps.number("MKNOD")); // no devices cgroup on v2 here
    c.put("caps", Long.toHexString(caps));
    if (r.autoRemove && !attach) c.put("autoremove", dir.toString());
    if (!r.healthTest.isEmpty()) { // the supervisor runs the HEALTHCHECK probes (health.c)
      c.putAll("hc", Health.argv(r.healthTest));
      c.put("hcinterval", r.healthInterval / 1_000_000);
      c.put("hctimeout", r.healthTimeout / 1_000_000);
      c.put("hcstart", r.healthStartPeriod / 1_000_000);
      c.put("hcretries", r.healthRetries);
      c.put("healthfile", dir.resolve(Health.FILE).toString());
    }
    return c;
  }

  private String nsPath(String containerId, String kind) {
    ContainerRecord t = store.read(containerId);
    if (t == null || !state(t).running())
      throw new ContainerException("cannot join the " + kind + " namespace of container " + containerId.substring(0, Math.min(12, containerId.length()))
          + ": it is not running (start it first)");
    return "/proc/" + t.pid + "/ns/" + kind;
  }

  private void writeInitLayer(ContainerRecord r) throws IOException {
    if (r.initDir == null) return;
    Path etc = Path.of(r.initDir, "etc");
    Files.createDirectories(etc);
    String hostname = r.hostname;
    String ip = r.ip;
    if (r.joinNet != null) {
      ContainerRecord t = store.read(r.joinNet);
      if (t != null) ip = t.ip;
    }
    Files.writeString(etc.resolve("hostname"), hostname + "\n");
    StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    if (!ip.isEmpty()) hosts.append(ip).append('\t').append(hostname).append('\n');
    else if (!r.networkMode.equals("host")) hosts.append("127.0.1.1\t").append(hostname).append('\n');
    Files.writeString(etc.resolve("hosts"), hosts.toString());
    StringBuilder resolv = new StringBuilder();
    try {
      for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
        // Docker drops loopback resolvers: inside the container 127.0.0.1 is the container itself.
        if (line.startsWith("nameserver") && line.contains("127.") && !r.networkMode.equals("host")) continue;
        resolv.append(line).append('\n');
      }
    } catch (IOException e) {
      // no host resolver configuration
    }
    Files.writeString(etc.resolve("resolv.conf"), resolv.toString());
  }

  private static Resources resources(ContainerRecord r) {
    return new Resources(r.memory, r.memorySwap, r.cpuQuotaUs, r.cpuShares, r.cpusetCpus, r.cpusetMems, r.pidsLimit);
  }

  /** Copies an attached container's output frames to the caller's streams; completes on 'X'. */
  private void startPump(ContainerRecord r, Running run, Attach attach) {
    ShimProcess sp = run.shim();
    if (attach.in() != null && r.interactive) {
      Thread in = new Thread(() -> copyStdin(attach.in(), sp.stdin()), "stdin-" + r.name);
      in.setDaemon(true);
      in.start();
    }
    Thread t = new Thread(() -> {
      ExitStatus status = null;
      try {
        while (status == null) {
          ShimProcess.Frame f = sp.next();
          switch (f.type()) {
            case ShimProcess.STDOUT -> write(attach.out(), f.data());
            case ShimProcess.STDERR -> write(attach.err(), f.data());
            case ShimProcess.EXIT -> {
              String[] p = f.text().trim().split(" ");
              status = new ExitStatus(Integer.parseInt(p[0]), p.length > 1 && p[1].equals("1"));
            }
            default -> { }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the supervisor went away: the exit file (or its absence) tells
      }
      sp.close();
      try {
        sp.process().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      run.exit().complete(status != null ? status : exitOf(r.id));
    }, "attach-" + r.name);
    t.setDaemon(true);
    t.start();
  }

  private static void write(OutputStream out, byte[] data) {
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      // the reader went away; the log file still has it
    }
  }

  private static void copyStdin(InputStream in, OutputStream to) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // the container closed its stdin
    } finally {
      try {
        to.close();
      } catch (IOException ignored) {
        // closed
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // state, wait, kill, stop, remove

  /**
   * The truthful state of a container. Order of evidence: the exit file (the supervisor wrote
   * how it ended); otherwise the recorded first process, if it is still that process (pid and
   * start time); otherwise it is gone without an exit record: its supervisor was killed, and the
   * kernel killed the container with it (PR_SET_PDEATHSIG), so it exited with SIGKILL.
   */
  public ContainerState state(ContainerRecord r) {
    Path dir = store.dir(r.id);
    ExitRecord ex = ExitRecord.read(dir.resolve("exit"));
    if (ex != null) {
      boolean neverRan = ex.error() != null;
      return new ContainerState(neverRan ? "created" : "exited", 0, ex.exitCode(), ex.oomKilled(),
          neverRan ? ex.error() : "", r.startedAt, ex.finishedAt());
    }
    if (r.status.equals("running") || (r.status.equals("starting") && r.pid > 0)) {
      if (Proc.alive(r.pid, r.pidStart) && Proc.alive(r.shimPid, r.shimStart)) {
        boolean paused = false;
        if (!r.cgroupPath.isEmpty()) {
          try {
            paused = cgroupsOrDetect().forContainer(r.cgroupParent, r.id).frozen();
          } catch (RuntimeException e) {
            // no freezer
          }
        }
        if (r.status.equals("starting")) return new ContainerState("created", 0, 0, false, "", "", "");
        return new ContainerState(paused ? "paused" : "running", r.pid, 0, false, "", r.startedAt, "");
      }
      if (Proc.alive(r.shimPid, r.shimStart)) {
        // the process is gone but the supervisor is still writing the exit record
        return new ContainerState("running", r.pid, 0, false, "", r.startedAt, "");
      }
      return new ContainerState("exited", 0, 128 + Signals.SIGKILL, false,
          "the supervisor (kubelab-shim, pid " + r.shimPid + ") was killed; the kernel killed the container with it",
          r.startedAt, "");
    }
    return new ContainerState("created", 0, 0, false, r.error, "", "");
  }

  public ContainerState state(String ref) {
    ContainerRecord r = get(ref);
    return state(r);
  }

  public ContainerRecord get(String ref) {
    String id = store.resolve(ref);
    ContainerRecord r = store.read(id);
    if (r == null) throw new ContainerException("No such container: " + ref);
    return r;
  }

  private ExitStatus exitOf(String id) {
    ContainerRecord r = store.read(id);
    if (r == null) return new ExitStatus(ContainerException.RUNTIME_FAILED, false);
    ContainerState s = state(r);
    return new ExitStatus(s.exitCode(), s.oomKilled());
  }

  /**
   * Blocks until the container exits; returns how it ended, or null if {@code timeout} passed
   * first (null timeout: wait forever).
   */
  public ExitStatus waitFor(String ref, Duration timeout) {
    String id = store.resolve(ref);
    Running run = running.get(id);
    if (run != null) {
      try {
        ExitStatus s = timeout == null ? run.exit().get() : run.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        running.remove(id, run);
        return s;
      } catch (java.util.concurrent.TimeoutException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        running.remove(id, run);
      }
    }
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (true) {
      ContainerRecord r = store.read(id);
      if (r == null) return null;
      ContainerState s = state(r);
      if (s.exited() || (s.status().equals("created") && !r.status.equals("starting")))
        return new ExitStatus(s.exitCode(), s.oomKilled());
      if (System.nanoTime() > deadline) return null;
      sleep(Params.EXIT_POLL);
    }
  }

  /** Sends {@code signal} to the container's first process ({@code lab kill}). */
  public void kill(String ref, int signal) {
    ContainerRecord r = get(ref);
    ContainerState s = state(r);
    if (!s.running()) throw new ContainerException("container " + r.name + " is not running (it is " + s.status() + ")");
    Signals.kill(r.pid, signal);
    if (s.status().equals("paused") && (signal == Signals.SIGKILL || signal == Signals.SIGTERM)) thaw(r);
  }

  /**
   * {@code lab stop}: the stop signal (SIGTERM unless the image says otherwise), then SIGKILL
   * after {@code grace}. A PID 1 without a SIGTERM handler ignores SIGTERM (the kernel applies no
   * default action to a namespace's init), so such a container takes the whole grace period.
   * Returns how it ended; a container that is not running is left as it is.
   */
  public ExitStatus stop(String ref, Duration grace) {
    ContainerRecord r = get(ref);
    ContainerState s = state(r);
    if (!s.running()) return new ExitStatus(s.exitCode(), s.oomKilled());
    int sig;
    try {
      sig = Signals.parse(r.stopSignal);
    } catch (IllegalArgumentException e) {
      sig = Signals.SIGTERM;
    }
    Signals.kill(r.pid, sig);
    if (s.status().equals("paused")) thaw(r);
    ExitStatus e = waitFor(r.id, grace);
    if (e != null) return e;
    Signals.kill(r.pid, Signals.SIGKILL);
    e = waitFor(r.id, Params.KILL_WAIT);
    return e != null ? e : exitOf(r.id);
  }

  private void thaw(ContainerRecord r) {
    try {
      cgroupsOrDetect().forContainer(r.cgroupParent, r.id).freeze(false);
    } catch (RuntimeException e) {
      // gone already
    }
  }

  /**
   * {@code lab rm}: removes a container and everything it had: its cgroup, its IP lease, its
   * directory (rootfs layers, log) and its name. A running container needs {@code force}
   * (it is killed first, as Docker's rm -f does).
   */
  public void remove(String ref, boolean force) {
    String id = store.resolve(ref);
    ContainerRecord r = store.read(id);
    if (r == null) {
      StateStore.deleteTree(store.dir(id));
      return;
    }
    ContainerState s = state(r);
    if (s.running() || r.status.equals("starting") && Proc.alive(r.starterPid, r.starterStart)) {
      if (!force)
        throw new ContainerException("cannot remove running container " + r.name + ": stop it first (lab stop "
            + r.name + ") or force the removal (lab rm -f " + r.name + ")");
      if (s.running()) {
        Signals.kill(r.pid, Signals.SIGKILL);
        if (s.status().equals("paused")) thaw(r);
        waitFor(id, Params.KILL_WAIT);
      }
    }
    running.remove(id);
    cleanup(r);
    // the image may have been removed with force while this container used it: its layers go now
    if (images != null && !r.imageId.isEmpty()) collectImages();
  }

  private void collectImages() {
    try {
      images.collectGarbage(this::imagesInUse);
    } catch (RuntimeException e) {
      // the image store reports its own problems; removing the container succeeded
    }
  }

  /** Removes every trace of a container that no longer runs. Idempotent. */
  private void cleanup(ContainerRecord r) {
    if (r.status.equals("starting")) killAbandonedSupervisor(store.dir(r.id).resolve("supervisor.pid"));
    if (Proc.alive(r.shimPid, r.shimStart)) {
      // a supervisor still finishing (or hung): kill it, its container dies with it
      Signals.kill(r.shimPid, Signals.SIGKILL);
      for (int i = 0; i < 500 && Proc.alive(r.shimPid, r.shimStart); i++) sleep(Duration.ofMillis(2));
    }
    if (Proc.alive(r.pid, r.pidStart)) Signals.kill(r.pid, Signals.SIGKILL);
    if (!r.cgroupPath.isEmpty() || r.status.equals("starting")) {
      Cgroup cg = cgroupsOrDetect().forContainer(r.cgroupParent == null ? cgroupParent : r.cgroupParent, r.id);
      if (cg.exists()) {
        // A supervisor killed halfway through removing its cgroup leaves some hierarchies' dirs
        // and not others (the freezer's may be gone): thaw only what is there, then remove the rest.
        cg.killAll(); // a straggler (a shared pid namespace, a killed supervisor) would keep it busy
        try {
          if (cg.frozen()) cg.freeze(false);
        } catch (RuntimeException e) {
          // no freezer directory left: nothing is frozen
        }
        cg.destroy();
      }
    }
    if (!r.ip.isEmpty()) bridge().release(r.ip);
    StateStore.deleteTree(store.dir(r.id));
    store.releaseName(r.name, r.id);
    // The bridge stays, as docker0 does: making and deleting it costs four `ip` runs, which
    // `lab run --rm` would pay every time. gc() (lab ps, lab rm) removes it when unused.
  }

  private void collectBridge() {
    if (bridge().collectLeases(this::leaseOwnerAlive) == 0) bridge().removeBridge();
  }

  private boolean leaseOwnerAlive(String owner) {
    int sp = owner.lastIndexOf(' ');
    if (sp < 0) return false;
    Path root = Path.of(owner.substring(0, sp));
    return Files.isDirectory(root.resolve("containers").resolve(owner.substring(sp + 1)));
  }

  /**
   * Garbage collection: removes exited --rm containers, containers whose start was abandoned
   * (the CLI was killed mid-start), half-made directories, stale names, and the bridge and the
   * parent cgroup when no container uses them. Run by {@code lab ps} and {@code lab rm}; safe to run any time.
   */
  public void gc() {
    store.collectTempDirs();
    for (String id : store.ids()) {
      ContainerRecord r = store.read(id);
      Path dir = store.dir(id);
      if (r == null) {
        if (!Files.exists(dir.resolve("container.json")) && olderThan(dir, Duration.ofMinutes(1))) StateStore.deleteTree(dir);
        continue;
      }
      if (r.status.equals("starting") && r.pid == 0 && !Proc.alive(r.starterPid, r.starterStart)) {
        // The CLI died mid-start: undo what it did. The supervisor recorded itself before the
        // child could run; killing it kills the child (PR_SET_PDEATHSIG).
        killAbandonedSupervisor(dir.resolve("supervisor.pid"));
        Cgroup cg = cgroupsOrDetect().forContainer(r.cgroupParent, r.id);
        cg.destroy();
        if (!r.ip.isEmpty()) bridge().release(r.ip);
        if (Proc.alive(r.shimPid, r.shimStart)) Signals.kill(r.shimPid, Signals.SIGKILL);
        r.status = "created";
        r.ip = "";
        r.error = "the process starting it (pid " + r.starterPid + ") died";
        store.write(r);
        continue;
      }
      ContainerState s = state(r);
      if (s.exited() || (s.status().equals("created") && !r.cgroupPath.isEmpty())) {
        // The supervisor removes the cgroup when it records the exit; if it was killed, do it here.
        Cgroup cg = cgroupsOrDetect().forContainer(r.cgroupParent, r.id);
        if (cg.exists() && !Proc.alive(r.shimPid, r.shimStart)) cg.destroy();
        if (s.exited() && !Files.exists(dir.resolve("exit"))) {
          try {
            new ExitRecord(s.exitCode(), Signals.SIGKILL, cg.oomKilled(), Times.now(), null).write(dir.resolve("exit"));
          } catch (IOException e) {
            // try again next time
          }
        }
        if (r.autoRemove && s.exited()) cleanup(r);
      }
    }
    for (String[] n : store.nameEntries()) {
      if (n[1] == null || !Files.isDirectory(store.dir(n[1]))) store.releaseName(n[0], n[1] == null ? "" : n[1]);
    }
    collectBridge();
    try {
      cgroupsOrDetect().removeParentIfEmpty(cgroupParent);
    } catch (RuntimeException e) {
      // no cgroup file system to collect from
    }
    if (images != null) collectImages();
  }

  private static void killAbandonedSupervisor(Path pidfile) {
    String text;
    try {
      text = Files.readString(pidfile).trim();
    } catch (IOException e) {
      return; // it never got that far
    }
    long shimPid = Long.parseLong(text.split(" ")[0]);
    try {
      String comm = Files.readString(Path.of("/proc/" + shimPid + "/comm")).trim();
      if (!comm.equals("kubelab-shim")) return; // gone, and the pid reused
    } catch (IOException e) {
      return;
    }
    Signals.kill(shimPid, Signals.SIGKILL);
    for (int i = 0; i < 500 && Proc.startTime(shimPid) >= 0; i++) sleep(Duration.ofMillis(2));
  }

  private static boolean olderThan(Path p, Duration d) {
    try {
      return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(d));
    } catch (IOException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------
  // list, pause, exec

  /** Containers, newest first; only running ones unless {@code all}. */
  public List<ContainerRecord> list(boolean all) {
    List<ContainerRecord> out = new ArrayList<>();
    for (String id : store.ids()) {
      ContainerRecord r = store.read(id);
      if (r == null) continue;
      if (all || state(r).running()) out.add(r);
    }
    out.sort(Comparator.comparing((ContainerRecord c) -> c.created).reversed());
    return out;
  }

  /** Ids of the images that containers (in any state) are made from: image rm must keep those. */
  public java.util.Set<String> imagesInUse() {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String id : store.ids()) {
      ContainerRecord r = store.read(id);
      if (r != null && !r.imageId.isEmpty()) ids.add(r.imageId);
    }
    return ids;
  }

  /** {@code lab pause}: freezes every process of the container (cgroup freezer). */
  public void pause(String ref, boolean paused) {
    ContainerRecord r = get(ref);
    ContainerState s = state(r);
    if (paused && !s.status().equals("running"))
      throw new ContainerException("container " + r.name + " is not running (it is " + s.status() + ")");
    if (!paused && !s.status().equals("paused"))
      throw new ContainerException("container " + r.name + " is not paused");
    cgroupsOrDetect().forContainer(r.cgroupParent, r.id).freeze(paused);
  }

  /**
   * {@code State.Health} of a container with a HEALTHCHECK (null without one), as its supervisor
   * last recorded it; "starting" until the first probe ended.
   */
  public Health health(ContainerRecord r) {
    if (r.healthTest.isEmpty()) return null;
    Health h = Health.read(store.dir(r.id).resolve(Health.FILE));
    return h != null ? h : new Health(Health.STARTING, 0, List.of());
  }

  /** The container's cgroup (for inspect and tests). */
  public Cgroup cgroup(ContainerRecord r) {
    return cgroupsOrDetect().forContainer(r.cgroupParent, r.id);
  }

  /**
   * Runs a command in a running container ({@code lab exec}): the C stage joins its cgroup and
   * namespaces (setns) and forks the command there. Blocks until the command exits; its output
   * goes to {@code attach}. Returns the command's exit code.
   */
  public int exec(String ref, ExecSpec spec, Attach attach, Trace trace) {
    return exec(ref, spec, attach, trace, pid -> { });
  }

  /** As above; {@code onPid} gets the host pid of the command once it was forked (to kill it on a deadline). */
  public int exec(String ref, ExecSpec spec, Attach attach, Trace trace, java.util.function.LongConsumer onPid) {
    requireRoot();
    ContainerRecord r = get(ref);
    ContainerState s = state(r);
    if (!s.running()) throw new ContainerException("container " + r.name + " is not running (it is " + s.status() + "): start a new one with lab run");
    if (spec.command().isEmpty()) throw new ContainerException("no command given to exec");
    if (trace == null) trace = Trace.NONE;
    Cgroup cg = cgroup(r);
    ShimProcess.Config c = new ShimProcess.Config();
    c.put("mode", "exec");
    c.put("pid", r.pid);
    c.put("nsjoin", r.userns ? "user,ipc,uts,net,pid,mnt" : "ipc,uts,net,pid,mnt");
    for (Path p : cg.procsFiles()) c.put("procs", p.toString());
    c.putAll("arg", spec.command());
    c.putAll("env", environment(r.env, spec.env()));
    String wd = spec.workingDir() != null ? spec.workingDir() : r.workingDir;
    c.put("cwd", wd.isEmpty() ? "/" : wd);
    String user = spec.user() != null ? spec.user() : r.user;
    c.put("user", user.isEmpty() ? null : user);
    long caps = r.caps;
    if (cg.version().equals("v2")) caps &= ~(1L << Caps.number("MKNOD"));
    c.put("caps", Long.toHexString(caps));
    if (spec.stdin() && attach != null && attach.in() != null) c.put("stdin", 1);
    if (trace.enabled()) c.put("trace", 1);
    trace.step("spawn " + shim().getFileName() + " exec   (the C stage: setns needs a single-threaded process)");
    ShimProcess sp;
    try {
      sp = ShimProcess.spawn(shim(), "exec", c);
    } catch (IOException e) {
      throw new ContainerException("cannot start the runtime's C stage: " + e.getMessage());
    }
    if (spec.stdin() && attach != null && attach.in() != null) {
      Thread in = new Thread(() -> copyStdin(attach.in(), sp.stdin()), "exec-stdin");
      in.setDaemon(true);
      in.start();
    }
    try {
      while (true) {
        ShimProcess.Frame f = sp.next();
        switch (f.type()) {
          case ShimProcess.TRACE -> trace.step(f.text());
          case ShimProcess.PID -> onPid.accept(Long.parseLong(f.text().trim()));
          case ShimProcess.ERROR -> throw startError(f.text());
          case ShimProcess.STDOUT -> { if (attach != null) write(attach.out(), f.data()); }
          case ShimProcess.STDERR -> { if (attach != null) write(attach.err(), f.data()); }
          case ShimProcess.EXIT -> {
            return Integer.parseInt(f.text().trim().split(" ")[0]);
          }
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new ContainerException("exec in " + r.name + " failed: the C stage exited unexpectedly");
    } finally {
      sp.close();
      try {
        sp.process().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  /** Fails with the one-line message of issue 2 unless this process is root. */
  private static volatile Boolean root;

  public static void requireRoot() {
    Boolean r = root;
    if (r == null) root = r = isRoot();
    if (!r) throw new ContainerException("the container runtime needs root (namespaces, cgroups, mounts): sudo ./lab");
  }

  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
