package kubelab.shell.runtime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubelab.container.ContainerException;
import kubelab.container.image.ImageException;
import kubelab.shell.RootOption;

/**
 * {@code lab run} without picocli. Building picocli's model of a command costs more CPU than
 * running a container (its classes are Java 5 bytecode, which class data sharing refuses, and
 * it reflects over every option), and {@code lab run --rm busybox true} should start as fast as
 * {@code docker run}. So the launcher first tries this hand-written parser of exactly
 * RunCommand's options; anything it does not recognise (--help, a typo, a missing value)
 * returns null and picocli handles the command line as usual, with its messages.
 */
public final class RunFastPath {
  private RunFastPath() {}

  private static final List<String> BOOLEANS = List.of("--rm", "-d", "--detach", "-i", "--interactive", "-t", "--tty",
      "--read-only", "--trace", "--userns", "--no-healthcheck");
  private static final Map<String, String> VALUES = Map.ofEntries(
      Map.entry("--name", "name"), Map.entry("-h", "hostname"), Map.entry("--hostname", "hostname"),
      Map.entry("-e", "env"), Map.entry("--env", "env"), Map.entry("-v", "volume"), Map.entry("--volume", "volume"),
      Map.entry("-w", "workdir"), Map.entry("--workdir", "workdir"), Map.entry("-u", "user"), Map.entry("--user", "user"),
      Map.entry("--net", "net"), Map.entry("--network", "net"), Map.entry("-m", "memory"), Map.entry("--memory", "memory"),
      Map.entry("--memory-swap", "memory-swap"), Map.entry("--cpus", "cpus"), Map.entry("-c", "cpu-shares"),
      Map.entry("--cpu-shares", "cpu-shares"), Map.entry("--cpuset-cpus", "cpuset-cpus"),
      Map.entry("--cpuset-mems", "cpuset-mems"), Map.entry("--pids-limit", "pids-limit"),
      Map.entry("--entrypoint", "entrypoint"), Map.entry("--cap-add", "cap-add"), Map.entry("--cap-drop", "cap-drop"),
      Map.entry("-l", "label"), Map.entry("--label", "label"), Map.entry("--root", "root"),
      Map.entry("--health-cmd", "health-cmd"), Map.entry("--health-interval", "health-interval"),
      Map.entry("--health-timeout", "health-timeout"), Map.entry("--health-start-period", "health-start-period"),
      Map.entry("--health-retries", "health-retries"));

  /** Parses {@code args} (starting with "run"); null when picocli should handle them. */
  static RunCommand parse(String[] args) {
    RunCommand c = new RunCommand();
    c.root = new RootOption();
    String envRoot = System.getenv("KUBELAB_ROOT");
    c.root.root = Path.of(envRoot == null || envRoot.isBlank() ? "/var/lib/kubelab" : envRoot);
    int i = 1;
    for (; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-") || a.equals("-")) break;
      if (a.equals("--")) { i++; break; }
      String name = a, value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (BOOLEANS.contains(name) && value == null) {
        flag(c, name);
        continue;
      }
      String key = VALUES.get(name);
      if (key == null) {
        // combined short flags (-it, -di) or an attached short value (-m32m)
        if (!a.startsWith("--") && a.length() > 2) {
          String rest = a.substring(1);
          boolean allFlags = true;
          for (char ch : rest.toCharArray()) allFlags &= BOOLEANS.contains("-" + ch);
          if (allFlags) {
            for (char ch : rest.toCharArray()) flag(c, "-" + ch);
            continue;
          }
          String shortName = a.substring(0, 2);
          if (VALUES.containsKey(shortName)) {
            set(c, VALUES.get(shortName), a.substring(2));
            continue;
          }
        }
        return null;
      }
      if (value == null) {
        if (i + 1 >= args.length) return null;
        value = args[++i];
      }
      set(c, key, value);
    }
    if (i >= args.length) return null; // no image: picocli says so
    c.image = args[i];
    c.command = new ArrayList<>(List.of(args).subList(i + 1, args.length));
    return c;
  }

  private static void flag(RunCommand c, String f) {
    switch (f) {
      case "--rm" -> c.rm = true;
      case "-d", "--detach" -> c.detach = true;
      case "-i", "--interactive" -> c.interactive = true;
      case "-t", "--tty" -> c.tty = true;
      case "--read-only" -> c.readOnly = true;
      case "--trace" -> c.trace = true;
      case "--userns" -> c.userns = true;
      case "--no-healthcheck" -> c.noHealthcheck = true;
      default -> throw new IllegalStateException(f);
    }
  }

  private static void set(RunCommand c, String key, String v) {
    switch (key) {
      case "name" -> c.name = v;
      case "hostname" -> c.hostname = v;
      case "env" -> c.env.add(v);
      case "volume" -> c.volumes.add(v);
      case "workdir" -> c.workdir = v;
      case "user" -> c.user = v;
      case "net" -> c.net = v;
      case "memory" -> c.memory = v;
      case "memory-swap" -> c.memorySwap = v;
      case "cpus" -> c.cpus = v;
      case "cpu-shares" -> {
        try {
          c.cpuShares = Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw new ContainerException("invalid --cpu-shares \"" + v + "\": use a whole number (1024 is the default weight)");
        }
      }
      case "cpuset-cpus" -> c.cpusetCpus = v;
      case "cpuset-mems" -> c.cpusetMems = v;
      case "pids-limit" -> c.pidsLimit = v;
      case "entrypoint" -> c.entrypoint = v;
      case "cap-add" -> c.capAdd.add(v);
      case "cap-drop" -> c.capDrop.add(v);
      case "label" -> c.labels.add(v);
      case "root" -> c.root.root = Path.of(v);
      case "health-cmd" -> c.healthCmd = v;
      case "health-interval" -> c.healthInterval = v;
      case "health-timeout" -> c.healthTimeout = v;
      case "health-start-period" -> c.healthStartPeriod = v;
      case "health-retries" -> {
        try {
          c.healthRetries = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new ContainerException("invalid --health-retries \"" + v + "\": use a whole number");
        }
      }
      default -> throw new IllegalStateException(key);
    }
  }

  /**
   * Runs {@code lab run ARGS} if the fast parser understands them; returns the exit code, or
   * null to let picocli handle the command line.
   */
  public static Integer run(String[] args) {
    RunCommand c;
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    try {
      c = parse(args);
      if (c == null) return null;
      return c.execute(out, err);
    } catch (ContainerException e) {
      err.println("lab: " + e.getMessage());
      return e.exitCode();
    } catch (ImageException e) {
      err.println("lab: " + e.getMessage());
      return 125;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
