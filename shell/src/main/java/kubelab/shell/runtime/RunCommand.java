package kubelab.shell.runtime;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.Attach;
import kubelab.container.ContainerSpec;
import kubelab.container.ExitStatus;
import kubelab.container.LinuxRuntime;
import kubelab.container.NetworkMode;
import kubelab.container.Resources;
import kubelab.container.Trace;
import kubelab.container.Units;
import kubelab.container.state.ContainerRecord;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab run [OPTIONS] IMAGE [COMMAND [ARG...]]}: Docker's run, on KubeLab's runtime.
 * Options after IMAGE belong to the command (the parser stops at the first positional).
 * Exit code: the container's, or Docker's 125/126/127 when it could not be run. In the
 * foreground, signals the CLI receives go to the container's PID 1 ({@link SignalProxy}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Create and start a container from an image (like docker run).",
        "",
        "Examples:",
        "  lab run --rm busybox echo hello",
        "  lab run -d --name c1 busybox sleep 1000",
        "  lab run --rm --memory 32m --pids-limit 20 busybox sh -c 'cat /sys/fs/cgroup/pids.max 2>/dev/null || true'",
        "  lab run --trace --rm busybox true          # every step with its system call"})
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Option(names = "--rm", description = "Remove the container when it exits.") boolean rm;
  @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container id.") boolean detach;
  @Option(names = {"-i", "--interactive"}, description = "Keep stdin open and pass it to the container.") boolean interactive;
  @Option(names = "--name", paramLabel = "NAME", description = "Name of the container (default: a generated one).") String name;
  @Option(names = {"-h", "--hostname"}, paramLabel = "NAME", description = "Hostname inside (default: the short id).") String hostname;
  @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable (KEY alone copies yours).") List<String> env = new ArrayList<>();
  @Option(names = {"-v", "--volume"}, paramLabel = "HOST:CTR[:ro]", description = "Bind-mount a host directory.") List<String> volumes = new ArrayList<>();
  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside.") String workdir;
  @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "User to run as (name or uid).") String user;
  @Option(names = {"--net", "--network"}, paramLabel = "MODE", description = "bridge (default), none, host or container:NAME.") String net = "bridge";
  @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 32m.") String memory;
  @Option(names = "--memory-swap", paramLabel = "SIZE", description = "Memory plus swap (-1: unlimited swap).") String memorySwap;
  @Option(names = "--cpus", paramLabel = "N", description = "CPU quota in CPUs, e.g. 0.5.") String cpus;
  @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", description = "Relative CPU weight (default 1024).") Long cpuShares;
  @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs allowed, e.g. 0-1,3.") String cpusetCpus;
  @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes allowed.") String cpusetMems;
  @Option(names = "--pids-limit", paramLabel = "N", description = "Maximum number of processes (-1: no limit).") String pidsLimit;
  @Option(names = "--read-only", description = "Mount the root filesystem read-only.") boolean readOnly;
  @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replace the image's ENTRYPOINT.") String entrypoint;
  @Option(names = "--cap-add", paramLabel = "CAP", description = "Add a capability to Docker's default set.") List<String> capAdd = new ArrayList<>();
  @Option(names = "--cap-drop", paramLabel = "CAP", description = "Drop a capability (ALL drops every one).") List<String> capDrop = new ArrayList<>();
  @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set a label.") List<String> labels = new ArrayList<>();
  @Option(names = "--health-cmd", paramLabel = "CMD", description = "Command to run to check health (run by /bin/sh -c; replaces the image's HEALTHCHECK).") String healthCmd;
  @Option(names = "--health-interval", paramLabel = "DURATION", description = "Time between health checks (e.g. 2s; default 30s).") String healthInterval;
  @Option(names = "--health-timeout", paramLabel = "DURATION", description = "Maximum time one check may take (default 30s).") String healthTimeout;
  @Option(names = "--health-start-period", paramLabel = "DURATION", description = "Failures in this time after the start do not count (default 0s).") String healthStartPeriod;
  @Option(names = "--health-retries", paramLabel = "N", description = "Consecutive failures that make it unhealthy (default 3).") Integer healthRetries;
  @Option(names = "--no-healthcheck", description = "Disable any HEALTHCHECK the image specifies.") boolean noHealthcheck;
  @Option(names = "--userns", description = "Run in a new user namespace: root inside is uid 100000 on the host (files it creates are owned by 100000).") boolean userns;
  @Option(names = "--trace", description = "Print every step with its system call, numbered, in order.") boolean trace;
  @Option(names = {"-t", "--tty"}, hidden = true, description = "Accepted for Docker compatibility: KubeLab has no tty; stdin is a pipe.") boolean tty;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run, e.g. busybox.") String image;
  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).") List<String> command = new ArrayList<>();

  /** Parses the flags into a spec; every malformed value is a one-line error before anything is made. */
  ContainerSpec toSpec() {
    Resources res = new Resources(
        memory == null ? 0 : Units.parseMemory(memory, "--memory"),
        memorySwap == null ? 0 : Units.parseSwap(memorySwap),
        cpus == null ? 0 : Units.parseCpus(cpus),
        cpuShares == null ? 0 : cpuShares,
        cpusetCpus == null ? null : Units.parseCpuset(cpusetCpus, "--cpuset-cpus"),
        cpusetMems == null ? null : Units.parseCpuset(cpusetMems, "--cpuset-mems"),
        pidsLimit == null ? 0 : Units.parsePids(pidsLimit));
    ContainerSpec.Builder b = ContainerSpec.builder(image)
        .name(name).hostname(hostname).env(env).workingDir(workdir).user(user)
        .network(NetworkMode.parse(net)).resources(res).readOnly(readOnly).autoRemove(rm).interactive(interactive).userns(userns);
    if (!command.isEmpty()) b.command(command);
    if (healthCmd != null || healthInterval != null || healthTimeout != null || healthStartPeriod != null || healthRetries != null) {
      if (healthRetries != null && healthRetries < 1)
        throw new kubelab.container.ContainerException("invalid --health-retries \"" + healthRetries + "\": use 1 or more");
      b.healthcheck(new kubelab.container.image.ImageConfig.Healthcheck(
          healthCmd == null ? null : List.of("CMD-SHELL", healthCmd),
          healthInterval == null ? 0 : Units.parseDuration(healthInterval, "--health-interval"),
          healthTimeout == null ? 0 : Units.parseDuration(healthTimeout, "--health-timeout"),
          healthStartPeriod == null ? 0 : Units.parseDuration(healthStartPeriod, "--health-start-period"),
          healthRetries == null ? 0 : healthRetries));
    }
    b.noHealthcheck(noHealthcheck);
    if (entrypoint != null) b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
    for (String v : volumes) b.volume(ContainerSpec.Volume.parse(v));
    for (String c : capAdd) b.capAdd(c);
    for (String c : capDrop) b.capDrop(c);
    for (String l : labels) {
      int eq = l.indexOf('=');
      b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
    }
    return b.build();
  }

  @Override
  public Integer call() {
    return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** The work of {@code lab run}, shared by picocli and the fast path ({@link RunFastPath}). */
  int execute(PrintWriter out, PrintWriter err) {
    ContainerSpec cs = toSpec();
    LinuxRuntime rt = Runtimes.open(root.root);
    Trace t = trace ? new Trace(err) : Trace.NONE;
    if (detach) {
      ContainerRecord r = rt.run(cs, t, null);
      out.println(r.id);
      out.flush();
      return 0;
    }
    Attach attach = new Attach(interactive ? new FileInputStream(FileDescriptor.in) : null,
        Runtimes.stream(out), Runtimes.stream(err));
    ContainerRecord r = rt.create(cs);
    // Ctrl-C and SIGTERM go to the container's PID 1 (Docker's --sig-proxy); the CLI waits for
    // the container to end and reports its exit code (a second Ctrl-C kills it). Installed
    // before the start, so that a signal during the start is delivered once it runs.
    ExitStatus exit;
    try (SignalProxy proxy = SignalProxy.install(rt, r.id, err)) {
      try {
        rt.start(r.id, t, attach);
      } catch (RuntimeException e) {
        if (rm) rt.remove(r.id, true);
        throw e;
      }
      proxy.started();
      exit = rt.waitFor(r.id, null);
    }
    Runtimes.flushQuietly(attach.out());
    if (rm) rt.remove(r.id, true);
    return exit == null ? 125 : exit.exitCode();
  }
}
